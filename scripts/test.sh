#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs the whole test suite: type check, unit and end-to-end tests against
# the emulator, SoftHSM and swtpm. Ends with a plain `N passed, N failed` line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

status=0
if ! npx --no-install tsc -p tsconfig.json; then
  echo "type check failed"
  status=1
fi
mkdir -p test-results
rm -f test-results/vitest.json
# A hard limit, so that a test stuck in native code (which no per-test timeout can interrupt) fails the run
# with a message instead of holding CI until its own limit. The whole suite takes a few minutes.
timeout --kill-after=30s 30m npx --no-install vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
code=$?
if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
  echo "the test run was stopped after 30 minutes: a test is stuck"
fi
[ "$code" -eq 0 ] || status=1
# The whole suite runs on this machine's Node; the unit tests run again on the other LTS majors (22, in
# maintenance until April 2027; 24; 26), which differ where the code leans on Node's own behaviour (Node 26 counts a connection that has sent nothing as idle, and
# serve closed it). On Node 26 the end-to-end tests of the key sources that native parts and other programs
# serve run too (pkcs11js and SoftHSM, swtpm and tpm2-tools, ssh-agent): their child processes, prompts and
# signals on the newest Node; and those of the long-lived parts and of what writes files (serve, the library,
# the credential cache, update, chaining and fallback, the SDKs reading credential-process): Node 26 is the
# LTS most users run, and its HTTP server and timers are where it differs. About 8 minutes more. Only for the
# whole suite: a run of some test files given as arguments is that run alone.
reports=(test-results/vitest.json)
if [ "$#" -eq 0 ]; then
  for major in 22 24 26; do
    rm -f "test-results/vitest-node$major.json"
    node_bin="$(node scripts/nodeBinary.mjs "$major")" || { status=1; continue; }
    files=(test/unit)
    [ "$major" = 26 ] && files+=(test/e2e/pkcs11. test/e2e/check.pkcs11 test/e2e/tpm. test/e2e/check.tpm test/e2e/sshAgent.
      test/e2e/serve. test/e2e/library. test/e2e/credentialCache test/e2e/update test/e2e/roleChaining
      test/e2e/regionFallback test/e2e/sdkClients.credentialProcess)
    echo "on Node $major: ${files[*]}"
    # 20 minutes: some 5 on a quiet machine; a busy one (other jobs beside it) took over 10 (no report, one failure).
    PATH="$(dirname "$node_bin"):$PATH" timeout --kill-after=30s 20m npx --no-install vitest run "${files[@]}" --reporter=dot --reporter=json --outputFile.json="test-results/vitest-node$major.json"
    code=$?
    if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
      echo "the run on Node $major was stopped after 20 minutes: a test is stuck, or the machine very busy"
    fi
    [ "$code" -eq 0 ] || status=1
    reports+=("test-results/vitest-node$major.json")
  done
fi
node -e '
  const fs = require("node:fs");
  const [status, ...reports] = process.argv.slice(1);
  let passed = 0, failed = 0;
  for (const report of reports) {
    try {
      const r = JSON.parse(fs.readFileSync(report, "utf8"));
      passed += r.numPassedTests;
      failed += r.numFailedTests + (r.numTotalTestSuites > 0 && r.success === false && r.numFailedTests === 0 ? 1 : 0);
    } catch { failed += 1; }
  }
  if (status === "1" && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed`);
' "$status" "${reports[@]}"
exit $status
