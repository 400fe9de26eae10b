#!/usr/bin/env node
// Both bins (aws_signing_helper, roles-anywhere-helper) are this file. It runs the CLI bundle with a V8
// code cache, because credential-process runs on every AWS CLI call and compiling the bundle's functions
// is a good part of its start-up (~3 ms of ~40; bench/credential-process.mjs).
//
// The cache holds the bytecode of every function a successful credential-process run compiled, so it is
// written after such a run (when there was no usable cache), in ROLES_ANYWHERE_HELPER_CACHE_DIR, else
// $XDG_CACHE_HOME/roles-anywhere-helper, else ~/.cache/roles-anywhere-helper ("off": no cache). Node's
// own module.enableCompileCache() (22+) caches only what is compiled before the bundle runs, and so saves
// less. A cache file is used only if this user owns it and nobody else can write it: it is code.
'use strict';
const fs = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

const dist = join(__dirname, '../dist');
const args = process.argv.slice(2);

if (!answeredFromCache()) runCli();

/**
 * `credential-process --cache` with a valid cache entry is answered by a small bundle of its own, without
 * loading the CLI (src/cli/cacheHit.ts): it costs barely more than starting Node.
 */
function answeredFromCache() {
  if (args[0] !== 'credential-process' || !args.some((arg) => arg === '--cache' || arg.startsWith('--cache='))) return false;
  const output = require(join(dist, 'cacheHit.cjs')).cachedCredentialProcessOutput(args.slice(1), process.env);
  if (output === undefined) return false;
  const bytes = Buffer.from(output, 'utf8');
  let done = 0;
  try {
    while (done < bytes.length) done += fs.writeSync(1, bytes, done);
  } catch (error) {
    if (error.code !== 'EAGAIN') throw error;
    // A descriptor its owner made non-blocking took only part: the stream takes the rest, flushed before exit.
    process.stdout.write(bytes.subarray(done));
    return true;
  }
  process.exit(0);
}

function runCli() {
  const filename = join(dist, 'cli.function.js');
  const fd = fs.openSync(filename, 'r');
  const bundle = fs.fstatSync(fd);
  const source = readAll(fd, bundle.size).toString('latin1'); // ASCII (scripts/build.mjs)
  fs.closeSync(fd);

  const cacheDir = codeCacheDir(process.env);
  // V8 rejects a cache made under other V8 flags: runs with different flags keep caches of their own.
  const flags = process.execArgv.concat(process.env.NODE_OPTIONS || '').join(' ').trim();
  const cacheName = `cli-${process.version}-${process.arch}-${bundle.size}-${Math.trunc(bundle.mtimeMs)}${flags ? `-${fingerprint(flags)}` : ''}.v8cache`;
  const cachedData = cacheDir ? readOwnFile(join(cacheDir, cacheName)) : undefined;
  const script = new Script(source, { filename, cachedData }); // the CommonJS wrapper function (scripts/build.mjs)
  if (cacheDir && (!cachedData || script.cachedDataRejected) && args[0] === 'credential-process') {
    process.once('exit', (code) => code === 0 && writeCodeCache(cacheDir, cacheName, script));
  }
  // The bundle's require: its lazily loaded parts (./cli.commands.serve.run.cjs, ...) are beside it in dist/;
  // packages and node: modules resolve from here as from there (node:module's createRequire would cost
  // ~0.2 ms more). Those parts require ./runtime.cjs for the modules all bundles share: before the first of
  // them loads, runtime.cjs is made to be the main bundle's own copy (scripts/build.mjs).
  const cli = { exports: {} };
  let runtimeShared = false;
  const bundleRequire = (id) => {
    if (!id.startsWith('./')) return require(id);
    if (!runtimeShared) {
      const { Module } = require('node:module');
      const runtime = new Module(join(dist, 'runtime.cjs'), module);
      runtime.filename = runtime.id;
      runtime.exports = cli.exports;
      runtime.loaded = true;
      require.cache[runtime.id] = runtime;
      runtimeShared = true;
    }
    return require(join(dist, id));
  };
  script.runInThisContext()(cli.exports, bundleRequire, cli, filename, dist);
}

/** A file's bytes, with one read(2) where readFileSync would stat it again (~0.1 ms). */
function readAll(descriptor, size) {
  const bytes = Buffer.allocUnsafeSlow(size);
  let done = 0;
  while (done < size) {
    const read = fs.readSync(descriptor, bytes, done, size - done, done);
    if (read === 0) break;
    done += read;
  }
  return bytes.subarray(0, done);
}

/** A short hash of a string (FNV-1a, 32 bits), to tell flag sets apart in a file name. */
function fingerprint(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16);
}

function codeCacheDir(env) {
  const chosen = env.ROLES_ANYWHERE_HELPER_CACHE_DIR;
  if (chosen) return chosen === 'off' ? undefined : chosen;
  const base = env.XDG_CACHE_HOME || (env.HOME && join(env.HOME, '.cache'));
  return base ? join(base, 'roles-anywhere-helper') : undefined;
}

/** The file's bytes if it is a regular file of this user that only this user can write; else undefined. */
function readOwnFile(path) {
  let handle;
  try {
    handle = fs.openSync(path, 'r');
    const stat = fs.fstatSync(handle);
    const owned = process.getuid === undefined || stat.uid === process.getuid();
    return stat.isFile() && owned && (stat.mode & 0o022) === 0 ? readAll(handle, stat.size) : undefined;
  } catch {
    return undefined;
  } finally {
    if (handle !== undefined) fs.closeSync(handle);
  }
}

/**
 * Writes the cache whole or not at all (a temporary file renamed into place), and drops the caches of
 * other builds written over a month ago: another install of the helper may still be using a newer one.
 */
function writeCodeCache(dir, name, compiled) {
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(temporary, compiled.createCachedData(), { mode: 0o600 });
    fs.renameSync(temporary, join(dir, name));
    const monthAgo = Date.now() - 30 * 24 * 3600 * 1000;
    for (const other of fs.readdirSync(dir)) {
      const path = join(dir, other);
      if (/^cli-.*\.v8cache$/.test(other) && fs.statSync(path).mtimeMs < monthAgo) fs.rmSync(path, { force: true });
    }
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do: the cache only saves time.
    }
  }
}
