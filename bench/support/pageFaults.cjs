// Preloaded (`node -r`) into a run whose page faults bench/support/timing.mjs counts: says them on stderr
// as the process exits (before the run's own exit handlers, which write a code cache only on a first run).
'use strict';
const { writeSync } = require('node:fs');

process.on('exit', () => writeSync(2, `minor page faults: ${process.resourceUsage().minorPageFault}\n`));
