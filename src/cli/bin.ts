import { main } from './main.js';

void main(process.argv.slice(2)).then((code) => {
  // Leave as soon as the output is out, rather than wait for sockets to finish closing (~2 ms of every
  // credential-process). The writes' callbacks fire once earlier writes are flushed: stdout is a pipe to
  // the AWS CLI, and pipes are asynchronous on some systems.
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
