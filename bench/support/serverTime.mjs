// How long the emulator, which runs in the benchmark's own process, takes over each request: from the
// arrival of its headers to the end of its response (node:http's diagnostics channels). That part of a
// run's wall time is the server's, which a real endpoint spends elsewhere: the command's CreateSession is
// checked in full (signature, certificate chain) and answered, the floor's is refused at once.
import { subscribe } from 'node:diagnostics_channel';

/** Records each request's time, in milliseconds, into the array last given to `into()`. */
export function serverTimes() {
  const started = new WeakMap();
  let sink = [];
  subscribe('http.server.request.start', ({ request }) => started.set(request, process.hrtime.bigint()));
  subscribe('http.server.response.finish', ({ request }) => {
    const start = started.get(request);
    if (start !== undefined) sink.push(Number(process.hrtime.bigint() - start) / 1e6);
  });
  return {
    into(values) {
      sink = values;
    },
  };
}
