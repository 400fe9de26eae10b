/** Why a server could not listen, in words: serve's and the emulator command's refusal say it so. */
export function listenFailure(error: NodeJS.ErrnoException): string {
  if (error.code === 'EADDRINUSE') return 'address already in use';
  if (error.code === 'EADDRNOTAVAIL') return 'no interface of this machine has that address';
  if (error.code === 'EACCES') return 'permission denied (a port below 1024 needs privileges)';
  if (error.code === 'EMFILE' || error.code === 'ENFILE') return 'too many open files';
  return error.message;
}
