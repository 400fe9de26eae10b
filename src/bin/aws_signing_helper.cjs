#!/usr/bin/env node
// Both bins (aws_signing_helper, roles-anywhere-helper) are this file. It runs the CLI bundle with a V8
// code cache, because credential-process runs on every AWS CLI call and compiling the bundle's functions
// is a good part of its start-up (~3 ms of ~40; bench/credential-process.mjs); `--cache` first runs the
// cache-hit bundles (the shortcut's, then the full check's), each with a code cache of its own.
//
// A cache is written after a run that went the whole way, when there was none to use, in the folder
// src/files/cacheFolder.ts also finds (copied here: this file loads nothing it need not). V8 trusts a cache
// it accepts (damaged bytes crash it; it checks only the source's length), so a cache is named after the
// build's content hash, holds its bytes twice (damage shows without hashing, which would load node:crypto)
// and is used only if it is a regular file of this user that nobody else can write; any doubt means no
// cache, and a new one. The reasons, and what was measured: docs/performance.md.
'use strict';
const fs = require('node:fs');
const { dirname, isAbsolute, join, sep } = require('node:path');
const { Script } = require('node:vm');

/** Larger cache files than this are not caches of these bundles. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** How old a cache in use may grow before its time is brought forward: caches unused for a month are removed. */
const TOUCH_AFTER_MS = 7 * 24 * 3600 * 1000;

// With Node's --preserve-symlinks-main (in NODE_OPTIONS, say), an npm-linked bin's __dirname is the link's folder.
const preservesLinks = `${process.execArgv} ${process.env.NODE_OPTIONS}`.includes('--preserve-symlinks-main');
const dist = join(preservesLinks ? dirname(fs.realpathSync.native(__filename)) : __dirname, '../dist');
const args = process.argv.slice(2);
// Below package.json's engines (^20.19.0 || >=22.12.0: from where those lines require ES modules without a
// flag, the range npm packages ask), the bundles would fail on a missing Node API with an "internal error", or
// worse: Node 21 and 22 before 22.3 lack process.getBuiltinModule, with which the user database gives a home
// folder without HOME (Node QA: no cache, and update failed). Bun and Deno say which Node they implement;
// Deno before 2.7.3 says 22.14 or 24.2, and names P-256 keys p256 (refused as an unsupported curve) and its
// serve dies of a signal (src/library/nodeVersionProblem.ts has the same rule, and the reasons; the tests hold
// the two to each other: test/unit/bin/launcherCopies.test.ts).
const deno = process.versions.deno;
const tooOld = runtimeProblem();
if (tooOld) {
  logError(tooOld);
  process.exit(1);
}
/** Where the code caches are (undefined: none), and what their names end with, the same for every bundle of a run. */
let codeCacheFolder, codeCacheSuffix;
try {
  codeCacheFolder = codeCacheDir(process.env);
  codeCacheSuffix = codeCacheNameSuffix();
  if (!answeredFromCache()) runCli();
} catch (error) {
  // Deno run without --allow-env or --allow-read stops at the first read: its message, which names the flag,
  // in one line rather than with its stack trace (QA: runtimes). The CLI says its own (src/errors.ts).
  if (error?.name !== 'NotCapable') throw error;
  logError(error.message);
  process.exit(1);
}

/**
 * `credential-process --cache` with a valid cache entry is answered without loading the CLI: by the
 * shortcut an earlier hit of the same command line left (src/cli/shortcutHit.ts), which costs hardly more
 * than starting Node, else by a full check of flags, certificate and entry (src/cli/cacheHit.ts).
 */
function answeredFromCache() {
  if (args[0] !== 'credential-process' || !args.some((arg) => arg === '--cache' || arg.startsWith('--cache='))) return false;
  const output = cacheAnswer('shortcutHit', 'shortcutOutput') ?? cacheAnswer('cacheHit', 'cachedCredentialProcessOutput');
  if (output === undefined) return false;
  const bytes = Buffer.from(output, 'utf8');
  let done = 0;
  try {
    while (done < bytes.length) done += fs.writeSync(1, bytes, done);
  } catch (error) {
    // The reader of stdout is gone: exit 1 quietly, as the CLI does (src/cli/main.ts) and SIGPIPE would.
    if (error.code === 'EPIPE' || error.code === 'EBADF') process.exit(1);
    if (error.code !== 'EAGAIN') {
      // Standard output cannot take it (ENOSPC on a full disk, EIO): one line, as the CLI says it (src/stdio.ts).
      logError(`unable to write to standard output: ${error.message.replace(/^[A-Z]+: |, write$/g, '')}`);
      process.exit(1);
    }
    // A descriptor its owner made non-blocking took only part: the stream takes the rest, flushed before
    // exit; a reader that leaves meanwhile fails it quietly, as above.
    process.stdout.on('error', () => process.exit(1));
    process.stdout.write(bytes.subarray(done));
    return true;
  }
  process.exit(0);
}

/** Whether a Deno version is before 2.7.3, the first the helper works on whole (QA: runtimes). */
function olderDeno(version) {
  const [denoMajor, denoMinor, patch] = version.split('.').map(Number);
  return denoMajor < 2 || (denoMajor === 2 && (denoMinor < 7 || (denoMinor === 7 && patch < 3)));
}

/** Why this runtime cannot run the helper, naming it (Bun and Deno say which Node.js they implement), or undefined. */
function runtimeProblem() {
  const { node: version, bun, deno } = process.versions;
  const [major, minor] = version.split('.').map(Number);
  if (!(major < 20 || (major === 20 && minor < 19) || major === 21 || (major === 22 && minor < 12) || (deno !== undefined && olderDeno(deno)))) return undefined;
  const node = 'Node.js 20.19 or a later 20.x, or 22.12 or later';
  if (bun !== undefined) return `roles-anywhere-helper needs Bun 1.3 or later (or ${node}); this is Bun ${bun}`;
  if (deno !== undefined) return `roles-anywhere-helper needs Deno 2.7.3 or later (or ${node}); this is Deno ${deno}`;
  return `roles-anywhere-helper needs ${node}; this is ${process.version}`;
}

/**
 * An error line in the CLI's format (src/cli/cliLogger.ts), text or `--log-format json`, for the failures
 * met before the CLI loads: a cache hit's output that stdout cannot take, a bundle missing.
 */
function logError(message) {
  // The last --log-format given before any `--`, as the CLI takes it (src/cli/cliLogger.ts).
  let json = false;
  for (let i = 0; i < args.length && args[i] !== '--'; i++) {
    const given = args[i].startsWith('--log-format=') ? args[i].slice('--log-format='.length) : args[i] === '--log-format' ? args[++i] : undefined;
    if (given !== undefined) json = given === 'json';
  }
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  const line = json
    ? JSON.stringify({ time: now.toISOString(), level: 'error', message, ...(args[0] && !args[0].startsWith('-') && { command: args[0] }) })
    : `${now.getFullYear()}/${pad(now.getMonth() + 1)}/${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())} ${message}`;
  try {
    fs.writeSync(2, `${line}\n`);
  } catch {
    // stderr is gone too: there is nowhere left to say it.
  }
}

/**
 * What a cache-hit bundle answers credential-process with: its output, or undefined. Its code cache is
 * written after a run it answered, which compiled what answering takes (a run it could not answer compiles
 * less, and V8 would accept such a cache, and compile the rest on every hit).
 */
function cacheAnswer(name, exported) {
  const bundle = { exports: {} };
  const keepCodeCache = runBundle(name, require, bundle);
  const output = bundle.exports[exported](args.slice(1), process.env);
  if (output !== undefined) keepCodeCache();
  return output;
}

function runCli() {
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
  const keepCodeCache = runBundle('cli', bundleRequire, cli);
  // Only credential-process's functions are worth a cache (the other commands run seldom), of a run that
  // fetched credentials (src/cli/codeCacheWorth.ts says why).
  if (args[0] === 'credential-process') keepCodeCache(() => cli.exports.codeCacheWorthKeeping?.() === true);
}

/**
 * Compiles dist/<name>.function.js (the CommonJS wrapper function, scripts/build.mjs) with its code cache
 * and runs it. Returns keepCodeCache(worthKeeping): when there was no usable cache, it has one written (of
 * every function compiled by then) if the process ends well and worthKeeping() says so then.
 */
function runBundle(name, bundleRequire, bundleModule) {
  const filename = join(dist, `${name}.function.js`);
  // ASCII (scripts/build.mjs), so UTF-8 is latin1; Node reads UTF-8 in one call to its C++ side (~0.05 ms,
  // where opening, stat-ing and reading from JavaScript cost ~0.5 ms on Node 20).
  let source;
  try {
    source = fs.readFileSync(filename, 'utf8');
  } catch (error) {
    if (error.code === 'ERR_ACCESS_DENIED') {
      // NODE_OPTIONS=--permission without this folder in --allow-fs-read: one line, not a stack trace.
      logError(`unable to read ${filename}: Node's --permission denies it: allow the package's folder with --allow-fs-read=${dirname(dist)}`);
      process.exit(1);
    }
    if (error.code !== 'ENOENT') throw error;
    // One line saying what to do, not Node's stack trace: a clone after `npm ci --ignore-scripts`, or whose
    // dist/ was removed, is built; this file copied out of its package (as the reference's binary is copied
    // into /usr/local/bin) is linked to instead.
    logError(
      fs.existsSync(join(dirname(dist), 'package.json'))
        ? `${filename} is missing: this copy of roles-anywhere-helper is not built (run \`npm run build\` in ${dirname(dist)})`
        : `${filename} is missing: ${__filename} is the launcher of the roles-anywhere-helper package, which runs the package's dist/ beside it: make a symbolic link to the package's bin (ln -s) rather than a copy`,
    );
    process.exit(1);
  }

  // scripts/build.mjs starts the bundle with `/*<32 hex digits of the SHA-256 of the rest>*/`; no cache without it.
  const buildId = source.startsWith('*/', 34) ? source.slice(2, 34) : undefined;
  const cacheDir = buildId && codeCacheFolder;
  const cacheName = `${name}-${buildId}-${codeCacheSuffix}`;
  const cachedData = cacheDir ? readCodeCache(join(cacheDir, cacheName)) : undefined;
  const script = new Script(source, { filename, cachedData });
  script.runInThisContext()(bundleModule.exports, bundleRequire, bundleModule, filename, dist);
  return (worthKeeping = () => true) => {
    if (cacheDir && (!cachedData || script.cachedDataRejected)) {
      process.once('exit', (code) => code === 0 && worthKeeping() && writeCodeCache(cacheDir, cacheName, script));
    }
  };
}

/**
 * `mkdir -p` with mode 0700, as src/files/makeFolders.ts does it (copied: this file loads nothing it need
 * not): Node's recursive mkdirSync loops forever at full CPU where mkdir(2) answers ENOENT for a folder
 * whose parent is there (under /proc, say); run by root, never in another user's folder; 0700 whatever the umask.
 */
function makeFolders(folder) {
  try {
    if (fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) return;
    const parent = fs.statSync(dirname(folder), { throwIfNoEntry: false });
    if (process.getuid?.() === 0 && parent?.isDirectory() && parent.uid !== 0) throw new Error(`${dirname(folder)} is another user's`);
    makeFolder(folder);
    return;
  } catch (error) {
    if (error.code === 'EEXIST' && fs.statSync(folder).isDirectory()) return;
    if (error.code !== 'ENOENT' || dirname(folder) === folder) throw error;
    makeFolders(dirname(folder));
  }
  try {
    makeFolder(folder);
  } catch (error) {
    // Another process made it meanwhile (two first runs at once).
    if (error.code !== 'EEXIST' || !fs.statSync(folder).isDirectory()) throw error;
  }
}

/** mkdir(2), then 0700 whole where the umask cut it (0277: a folder its owner could not write in). */
function makeFolder(folder) {
  fs.mkdirSync(folder, { mode: 0o700 });
  try {
    if ((fs.statSync(folder).mode & 0o700) !== 0o700) fs.chmodSync(folder, 0o700);
  } catch {
    // A filesystem that keeps no modes.
  }
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

/**
 * Where the bundles are (a cache keeps the file name it was made with, which stack traces then show: two
 * installs of one build get a cache each), Node's version and architecture and, as V8 rejects a cache made
 * under other V8 flags, the flags' fingerprint.
 */
function codeCacheNameSuffix() {
  const flags = process.execArgv.concat(process.env.NODE_OPTIONS || '').join(' ').trim();
  // Bun and Deno say a Node version (26.3.0 both, in Bun 1.4.5 and Deno 2.9.6) but cache their own engines' code:
  // named after it, a Bun, a Deno and that Node running one install each threw the others' cache out, and wrote
  // theirs, at every run (QA: runtimes).
  const bun = process.versions.bun;
  const runtime = deno !== undefined ? `deno${deno}` : bun !== undefined ? `bun${bun}` : process.version;
  return `${fingerprint(dist)}-${runtime}-${process.arch}${flags ? `-${fingerprint(flags)}` : ''}.v8cache`;
}

/** A short hash of a string (FNV-1a, 32 bits), to tell folders and flag sets apart in a file name. */
function fingerprint(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16);
}

/**
 * As src/files/cacheFolder.ts finds it: absolute UTF-8 paths without control characters only; the home folder
 * HOME, else the user database's entry (src/files/homeFolder.ts), if it exists.
 */
function codeCacheDir(env) {
  const usable = (path) => !!path && isAbsolute(path) && !/[\x00-\x1f\x7f\uFFFD]/.test(path);
  const chosen = env.ROLES_ANYWHERE_HELPER_CACHE_DIR;
  if (chosen) return usable(chosen) ? chosen : undefined;
  const xdg = usable(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  const home = xdg ? undefined : env.HOME || userHome();
  const base = xdg || (usable(home) && !missingPath(home) ? join(home, '.cache') : undefined);
  return base ? join(base, 'roles-anywhere-helper') : undefined;
}

/** Whether a path is not there (src/files/missingPath.ts): a home folder this user may not enter, or Node's --permission hides, is used, and the code cache gives up quietly. */
function missingPath(path) {
  try {
    return fs.statSync(path, { throwIfNoEntry: false }) === undefined;
  } catch (error) {
    return error.code === 'ENOTDIR';
  }
}

/** The user database's home folder, or undefined (a user without an entry). */
function userHome() {
  try {
    return process.getBuiltinModule('node:os').userInfo().homedir || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cached data, if the file is a regular file of this user that only this user can write, and holds the
 * same bytes twice; else undefined. Opened without following a link or waiting for a FIFO's writer. A
 * cache in use has its modification time brought forward once a week, so that writeCodeCache's clean-up
 * takes it for what it is.
 */
function readCodeCache(path) {
  let handle;
  try {
    handle = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    const stat = fs.fstatSync(handle);
    const owned = process.getuid === undefined || stat.uid === process.getuid();
    if (!stat.isFile() || !owned || (stat.mode & 0o022) !== 0 || stat.size === 0 || stat.size % 2 !== 0 || stat.size > MAX_CACHE_BYTES) return undefined;
    const bytes = readAll(handle, stat.size);
    const data = bytes.subarray(0, bytes.length / 2);
    if (bytes.length !== stat.size || !data.equals(bytes.subarray(data.length))) return undefined;
    if (stat.mtimeMs < Date.now() - TOUCH_AFTER_MS) touch(handle);
    return data;
  } catch {
    return undefined;
  } finally {
    if (handle !== undefined) fs.closeSync(handle);
  }
}

/** Brings a file's times forward to now; a cache whose times stay as they were only costs a rewrite in a month. */
function touch(handle) {
  try {
    const now = new Date();
    fs.futimesSync(handle, now, now);
  } catch {
    // A read-only filesystem, say: the cache is still used as it is.
  }
}

/**
 * Whether `dir` is one the credential cache would use (src/files/cacheFolder.ts's untrustedCacheFolder,
 * held to it by test/unit/bin/launcherCopies.test.ts): no other user's link on its way and no link itself,
 * this user's and writable by no one else (root with another's HOME writes nothing in their folder), and no
 * folder above it another user's (root's aside) or one everyone may write without the sticky bit. One not
 * there yet is judged by the nearest folder above it that is, where it would be made.
 */
function safeFolder(dir) {
  const own = process.getuid?.();
  if (own === undefined) return true; // Windows: no owners or mode bits
  const ours = (uid) => uid === own || uid === 0;
  let there = dir;
  while (!fs.existsSync(there)) there = dirname(there);
  const parts = there.split(sep).filter(Boolean);
  let prefix = '';
  for (const [index, part] of parts.entries()) {
    const link = fs.lstatSync((prefix += sep + part));
    if (link.isSymbolicLink() && (!ours(link.uid) || (there === dir && index === parts.length - 1))) return false;
  }
  if (there === dir) {
    const { uid, mode } = fs.statSync(dir);
    if (uid !== own || mode & 0o022) return false;
  }
  const real = fs.realpathSync.native(there);
  for (let folder = there === dir ? dirname(real) : real; ; folder = dirname(folder)) {
    const { uid, mode } = fs.statSync(folder);
    if (!ours(uid) || (mode & 0o002 && !(mode & 0o1000))) return false;
    if (dirname(folder) === folder) return true;
  }
}

/**
 * Writes the cache whole or not at all (a temporary file of a new name, created exclusively so that
 * nothing planted there is written through, renamed into place), and drops the caches not written or used
 * for over a month (readCodeCache brings a used one's time forward weekly): those of other builds, and of
 * Node versions and flags no longer run, while another install of the helper may still be using its own;
 * and the temporary copies of runs killed while writing one, once a minute old.
 */
function writeCodeCache(dir, name, compiled) {
  const temporary = join(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  let created = false;
  try {
    // Checked where it would be made too: a folder made in another user's would be theirs to swap (QA).
    // One that is there already is checked once.
    const there = fs.existsSync(dir);
    if (!safeFolder(dir)) return;
    if (!there) {
      makeFolders(dir);
      if (!safeFolder(dir)) return;
    }
    const data = compiled.createCachedData();
    const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
    const handle = fs.openSync(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    created = true;
    try {
      // 0600 whatever the umask: 0777 would leave a file its owner cannot read, and every hit writing another.
      if ((fs.fstatSync(handle).mode & 0o600) !== 0o600) fs.fchmodSync(handle, 0o600);
      fs.writeFileSync(handle, Buffer.concat([data, data]));
    } finally {
      fs.closeSync(handle);
    }
    fs.renameSync(temporary, join(dir, name));
    const monthAgo = Date.now() - 30 * 24 * 3600 * 1000;
    // A temporary copy is written in milliseconds: one a minute old is a killed run's (QA: each kill -9 during
    // the write left up to 470 KB for a month), as the credential cache's are (src/files/newFile.ts).
    const minuteAgo = Date.now() - 60 * 1000;
    for (const other of fs.readdirSync(dir)) {
      const path = join(dir, other);
      const cache = /^(cli|cacheHit|shortcutHit)-.*\.v8cache$/.test(other);
      const leftover = /^\.(cli|cacheHit|shortcutHit)-.*\.tmp$/.test(other);
      if ((cache || leftover) && fs.lstatSync(path).mtimeMs < (leftover ? minuteAgo : monthAgo)) fs.rmSync(path, { force: true });
    }
  } catch {
    try {
      if (created) fs.rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do: the cache only saves time.
    }
  }
}
