import type { AnyCommand } from './command.js';
import { cacheCommand } from './commands/cache/command.js';
import { checkCommand } from './commands/check/command.js';
import { completionCommand } from './commands/completion/command.js';
import { credentialProcessCommand } from './commands/credentialProcess/command.js';
import { emulatorCommand } from './commands/emulator/command.js';
import { helpCommand } from './commands/help/command.js';
import { readCertificateDataCommand } from './commands/readCertificateData/command.js';
import { serveCommand } from './commands/serve/command.js';
import { signStringCommand } from './commands/signString/command.js';
import { updateCommand } from './commands/update/command.js';
import { versionCommand } from './commands/version/command.js';

/** Every command. A new one is a folder under commands/ (its command.ts and run.ts) and one line here. */
export const COMMANDS: readonly AnyCommand[] = [
  credentialProcessCommand,
  readCertificateDataCommand,
  serveCommand,
  signStringCommand,
  updateCommand,
  cacheCommand,
  checkCommand,
  emulatorCommand,
  completionCommand,
  helpCommand,
  versionCommand,
];
