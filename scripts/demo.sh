#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs the demo: a throw-away PKI, a local Roles Anywhere emulator, and
# credential-process, serve and update against it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node scripts/demo.mjs
