/** A file's permission bits as `ls -l`'s users type them to chmod: four octal digits (0644). */
export function modeText(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** What to do about a file every user may read: chmod it, or, where chmod cannot help, keep it elsewhere. */
export const MAKE_UNREADABLE_BY_OTHERS = 'chmod o-r it (on a filesystem that keeps no file modes, FAT or exFAT, keep it on another)';
