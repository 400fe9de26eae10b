/** A file's permission bits as `ls -l`'s users type them to chmod: four octal digits (0644). */
export function modeText(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
