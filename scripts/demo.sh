#!/usr/bin/env bash
# Sets up (scripts/setup.sh demo: the npm dependencies and the build) and runs the demo: a throw-away PKI, a local Roles Anywhere emulator, and
# against it check, credential-process (with and without its cache), the library's fromRolesAnywhere(),
# serve and update.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh demo
node scripts/demo.mjs
