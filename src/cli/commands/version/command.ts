import { writeOut } from '../../../stdio.js';
import { defineCommand } from '../../command.js';
import { VERSION } from '../../../version.js';

export const versionCommand = defineCommand({
  name: 'version',
  summary: 'Print the version of the credential helper',
  flags: {},
  load: async () => async () => writeOut(`${VERSION}\n`),
});
