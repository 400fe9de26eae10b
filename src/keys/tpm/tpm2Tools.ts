import { spawn, type ChildProcess } from 'node:child_process';
import type { Env } from '../../context.js';
import { HelperError } from '../../errors.js';
import { debugLazily, type Logger } from '../../log/logger.js';
import type { Tcti } from './tcti.js';
import { SECRET_VARIABLE_NAMES } from '../secretVariables.js';
import { Tpm2ToolError } from './tpmError.js';
import { readToolFailure } from './tpmResponseCode.js';
import { undoneOnExit } from './undoneOnExit.js';

export interface ToolRun {
  /** Written to the tool's stdin: only ever a password, for `-p file:-`, so that no command line shows it. */
  readonly stdin?: Buffer;
  /** The command leaves objects loaded in the TPM (tpm2_createprimary, tpm2_load, a context file as key). */
  readonly loadsObjects?: boolean;
}

/** Longer than the slowest TPM takes to create an RSA primary key; a TPM that never answers is an error. */
const TOOL_TIMEOUT_MS = 120_000;
/** How long a tool may go on before the helper says, once a run, what it waits for (QA: 120 s of silence). */
const WAITING_NOTICE_MS = 4_000;
/** How much of a tool's stderr is kept: the error lines come first (fuzzing QA: 300 MB of it, all kept and quoted). */
const MAX_STDERR_BYTES = 64 * 1024;
/** How long after a tool exits its output may still come: a process it left behind holding stderr is not waited for (fuzzing QA: 150 s). */
const OUTPUT_AFTER_EXIT_MS = 1_000;

/**
 * Runs tpm2-tools commands (as child processes, no shell) against one TPM. Without a resource manager a
 * TPM keeps every object a tool loaded until someone flushes it, and swtpm has only three slots, so each
 * command that loads objects is followed by `tpm2_flushcontext -t`, whether it succeeded or not. Every
 * step passes its objects on as saved context files, never as handles, so the flush never pulls an
 * object from under a later step.
 */
export class Tpm2Tools {
  /** The tools running, ended by stop(). */
  readonly #running = new Set<ChildProcess>();
  #stopped = false;

  constructor(
    private readonly tcti: Tcti,
    private readonly env: Env,
    readonly logger: Logger,
  ) {}

  async run(tool: string, args: readonly string[], options: ToolRun = {}, again = true): Promise<void> {
    const flushAfter = options.loadsObjects && !this.tcti.resourceManaged;
    try {
      await this.#spawn(tool, args, options.stdin);
    } catch (error) {
      // A tool the TPM answered may have loaded objects before it failed; one that never reached the TPM has not.
      if (flushAfter && error instanceof Tpm2ToolError) {
        await this.#flushAfterFailure(tool);
        // No object slot free (0x902): a tool that outlived its killed run left objects loaded, flushed just now (QA).
        if (again && error.responseCode === 0x902) return this.run(tool, args, options, false);
      }
      throw error;
    }
    if (flushAfter) await this.#spawn('tpm2_flushcontext', ['-t']);
  }

  /**
   * Ends the tools running and refuses to start others: serve and update stopping on a signal, which waited
   * for the tools under way to end, up to 120 s each when the TPM did not answer (QA: a SIGTERM to update
   * while another program held swtpm took minutes), where the reference stops at once.
   */
  stop(): void {
    this.#stopped = true;
    for (const child of this.#running) child.kill();
  }

  /** What a tool that only reads (tpm2_getcap) writes on stdout. */
  async output(tool: string, args: readonly string[]): Promise<string> {
    const stdout: Buffer[] = [];
    await this.#spawn(tool, args, undefined, stdout);
    return Buffer.concat(stdout).toString('utf8');
  }

  /** Reporting the command's own failure matters more than a failure of the flush after it. */
  async #flushAfterFailure(tool: string): Promise<void> {
    try {
      await this.#spawn('tpm2_flushcontext', ['-t']);
    } catch (error) {
      this.logger.debug(`TPM: flushing transient objects after ${tool} failed too: ${(error as Error).message}`);
    }
  }

  #spawn(tool: string, args: readonly string[], stdin?: Buffer, stdout?: Buffer[]): Promise<void> {
    if (this.#stopped) return Promise.reject(new HelperError(`unable to use the TPM: stopping, ${tool} was not run`));
    debugLazily(this.logger, () => `TPM: ${tool} ${args.join(' ')} (TCTI ${this.tcti.config})`);
    let running!: ChildProcess;
    const done = () => new Promise<void>((resolve, reject) => {
      const child = spawn(tool, args, {
        env: { ...withoutSecrets(this.env), TPM2TOOLS_TCTI: this.tcti.config },
        stdio: [stdin ? 'pipe' : 'ignore', stdout ? 'pipe' : 'ignore', 'pipe'],
      });
      running = child;
      this.#running.add(child);
      child.stdout?.on('data', (chunk: Buffer) => stdout!.push(chunk));
      // Not spawn's own timeout option: its timer outlives a tool that could not be started.
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, TOOL_TIMEOUT_MS);
      // A TPM another program holds (swtpm serves one client at a time), or a slow RSA key generation.
      const notice = setTimeout(() => {
        this.logger.info(`waiting for the TPM (TCTI ${this.tcti.config}) to answer ${tool}; giving up after ${TOOL_TIMEOUT_MS / 1000} s`);
      }, WAITING_NOTICE_MS);
      const stderr: Buffer[] = [];
      let kept = 0;
      child.stderr!.on('data', (chunk: Buffer) => {
        if (kept < MAX_STDERR_BYTES) stderr.push(chunk.subarray(0, MAX_STDERR_BYTES - kept));
        kept += chunk.length;
      });
      child.stdin?.on('error', () => {}); // a tool that exits early closes stdin; its exit status tells why
      child.stdin?.end(stdin);
      child.on('error', (error: NodeJS.ErrnoException) => {
        this.#running.delete(child);
        clearTimeout(timer);
        clearTimeout(notice);
        reject(this.#startFailure(tool, error));
      });
      let afterExit: NodeJS.Timeout | undefined;
      child.on('exit', (code, signal) => {
        afterExit = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          settle(code, signal);
        }, OUTPUT_AFTER_EXIT_MS);
      });
      child.on('close', (code, signal) => settle(code, signal));
      let settled = false;
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        this.#running.delete(child);
        clearTimeout(timer);
        clearTimeout(notice);
        clearTimeout(afterExit);
        if (code === 0) return resolve();
        // A password goes on stdin only: a tool that wrote it back does not have it quoted (fuzzing QA).
        const text = withoutInput(Buffer.concat(stderr).toString('utf8'), stdin);
        if (timedOut) reject(new HelperError(`unable to use the TPM: ${tool} did not finish within ${TOOL_TIMEOUT_MS / 1000} s (TCTI ${this.tcti.config})`));
        else if (signal) reject(new HelperError(`unable to use the TPM: ${tool} was killed by ${signal}`));
        else if (/Could not load tcti|Failed to instantiate TCTI/.test(text)) reject(this.#unreachable(text));
        else reject(new Tpm2ToolError(tool, readToolFailure(text)));
      };
    });
    // Not left running, an orphan, when a signal ends the helper meanwhile.
    return undoneOnExit(() => running.kill(), done);
  }

  #startFailure(tool: string, error: NodeJS.ErrnoException): Error {
    if (error.code === 'ENOENT') {
      return new HelperError(`unable to use the TPM: tpm2-tools is not installed (${tool} is not in PATH); install tpm2-tools 5 or later`);
    }
    return new HelperError(`unable to use the TPM: cannot run ${tool}: ${error.message}`);
  }

  #unreachable(stderr: string): HelperError {
    const cause = /^(?:WARNING|ERROR):tcti:\S+ (.+?)\s*$/m.exec(stderr)?.[1] ?? 'the TCTI failed to initialize';
    const { device, config } = this.tcti;
    if (device === undefined) return new HelperError(`unable to reach the TPM through TCTI ${config}: ${cause}`);
    // As the reference says it (`device is not a TPM 2.0`); swtpm's control socket is `<server socket>.ctrl`.
    const socketHint = config.startsWith('swtpm:') ? ", or is swtpm's control socket (give its server socket)" : '';
    return new HelperError(`unable to reach the TPM: TPM_DEVICE ${device} is not a TPM 2.0${socketHint}: tpm2-tools: ${cause}`);
  }
}

/** A tool's words without what it was given on stdin (`hex:…`, a password), in that form or its hex digits alone. */
function withoutInput(text: string, stdin: Buffer | undefined): string {
  const given = stdin?.toString('latin1').trim();
  if (!given) return text;
  return text.replaceAll(given, '<password>').replaceAll(given.replace(/^hex:/, ''), '<password>');
}

/** The tools' environment: the caller's without the helper's password and PIN variables, which no tool reads (a password goes on stdin). */
function withoutSecrets(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_VARIABLE_NAMES.has(name)));
}
