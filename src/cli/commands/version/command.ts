import { writeOut } from '../../../stdio.js';
import { defineCommand } from '../../command.js';
import { LOG_FLAGS } from '../../flags.js';
import { VERSION } from '../../../version.js';

export const versionCommand = defineCommand({
  name: 'version',
  summary: 'Print the version of the credential helper',
  flags: LOG_FLAGS,
  load: async () => async () => writeOut(`${VERSION}\n`),
});
