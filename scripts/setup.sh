#!/usr/bin/env bash
# Installs what the helper and its tests need on a fresh Debian machine, skipping what is already there:
# Debian packages for the PKCS#11 (SoftHSM, OpenSC, GnuTLS tools, p11-kit), TPM (swtpm, tpm2-tools,
# tpm2-openssl) and ssh-agent (OpenSSH's ssh-agent, ssh-add, ssh-keygen; GnuPG's gpg-agent) tests, openssl
# (key and PKCS#12 encodings the tests write), wrk (serve under load, bench/serve.mjs), tcpdump (serve --hop-limit's
# packets), strace (update killed mid-write), ip (an address added while serve runs), bindfs and exFAT's tools
# (filesystems that keep no file modes, as FAT is), and boto3, the AWS CLI, Ruby's aws-sdk-core and the AWS SDK
# for Go, v1 and v2, with Go to build a client against them, as other AWS clients; then the npm dependencies,
# the build, and Nodes 22, 24 and 26 for the tests run under them.
#
# `setup.sh demo` installs only what the demo needs: the npm dependencies and the build.
set -euo pipefail
cd "$(dirname "$0")/.."
for_demo=false
[ "${1:-}" = demo ] && for_demo=true

packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
need softhsm2-util softhsm2
need pkcs11-tool opensc
need p11tool gnutls-bin
need p11-kit p11-kit
need swtpm swtpm
need swtpm_setup swtpm-tools
need tpm2_sign tpm2-tools
need ssh-agent openssh-client
need gpg-agent gpg-agent
need openssl openssl
need wrk wrk
need tcpdump tcpdump
need strace strace
need ip iproute2
need aws awscli
need zsh zsh
need bindfs bindfs
need mkfs.exfat exfatprogs
need mount.exfat-fuse exfat-fuse
need go golang-go
[ -d /usr/share/gocode/src/github.com/aws/aws-sdk-go-v2/config ] || packages+=(golang-github-aws-aws-sdk-go-v2-dev)
[ -d /usr/share/gocode/src/github.com/aws/aws-sdk-go/aws/session ] || packages+=(golang-github-aws-aws-sdk-go-dev)
[ -e /usr/lib/x86_64-linux-gnu/ossl-modules/tpm2.so ] || [ -e /usr/lib/aarch64-linux-gnu/ossl-modules/tpm2.so ] || packages+=(tpm2-openssl)
python3 -c 'import boto3' >/dev/null 2>&1 || packages+=(python3-boto3)
ruby -e 'require "aws-sdk-core"' >/dev/null 2>&1 || packages+=(ruby-aws-sdk-core)

if [ ${#packages[@]} -gt 0 ] && ! $for_demo; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "setup: the tests need Debian packages that only root can install, and there is no sudo: as root, run 'apt-get update &&" \
        "apt-get install --no-install-recommends ${packages[*]} libtss2-tcti-swtpm0', then this again (the demo needs none of them)" >&2
      exit 1
    fi
    sudo="sudo"
  fi
  echo "setup: installing Debian packages: ${packages[*]}"
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
    "${packages[@]}" libtss2-tcti-swtpm0
fi

# pkcs11js is a native addon: build it against the installed Node's headers, never downloaded ones.
export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"
# All of them, whatever npm is set to leave out (omit=optional, NODE_ENV=production): the build needs its dev
# dependencies and their platform packages. npm ci's prepare script builds, unless npm is set to run no scripts
# (ignore-scripts): the build is then run here.
ignore_scripts=$(npm config get ignore-scripts)
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --include=dev --include=optional
  [ "$ignore_scripts" != true ] || npm run --silent build
else
  npm run --silent build -- --if-changed # a tree built from these sources is left as it is (a demo may be running from it)
fi
# The tests use both native parts, which install scripts build: built here where they are missing, or said why not.
native() { [ -e node_modules/pkcs11js/build/Release/pkcs11.node ] && [ -e build/Release/socket_ttl.node ]; }
if ! $for_demo && ! native; then
  if [ "$ignore_scripts" = true ]; then
    echo "setup: the tests need the native parts (pkcs11js, serve --hop-limit's addon), which install scripts build, and npm is" \
      "set to run none (ignore-scripts): run 'npm_config_ignore_scripts=false bash scripts/test.sh' (the demo needs neither)" >&2
    exit 1
  fi
  npm rebuild --no-audit --no-fund pkcs11js
  npm run --silent install
  native || { echo "setup: the native parts the tests need (pkcs11js, serve --hop-limit's addon) could not be built: they need python3, make and g++" >&2; exit 1; }
fi
# Nodes 22, 24 and 26 for the tests that run the helper under other majors (the package, the code caches),
# and the oldest of 20 and 22 that package.json's engines take (the package).
$for_demo || node scripts/nodeBinary.mjs 22 24 26 20.19.0 22.12.0 >/dev/null
