import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintOf } from './sshAgent.js';

/**
 * GnuPG's gpg-agent with its SSH support on (`enable-ssh-support`), in a home of its own: keys added with
 * ssh-add are kept by gpg-agent under a passphrase. Its pinentry is a script that gives that passphrase and
 * cancels every confirmation, as a user who cannot see the dialog, so that a key added with `ssh-add -c`
 * is refused.
 */
export class GpgAgent {
  private constructor(private readonly home: string) {}

  static start(home: string): GpgAgent {
    mkdirSync(home, { mode: 0o700 });
    const pinentry = join(home, 'pinentry.sh');
    writeFileSync(
      pinentry,
      [
        '#!/bin/sh',
        'echo "OK ready"',
        'while read -r command rest; do',
        '  case "$command" in',
        '    GETPIN) echo "D agent-test-passphrase"; echo OK;;',
        '    CONFIRM) echo "ERR 83886179 Operation cancelled <Pinentry>";;',
        '    BYE) echo OK; exit 0;;',
        '    *) echo OK;;',
        '  esac',
        'done',
        '',
      ].join('\n'),
      { mode: 0o700 },
    );
    writeFileSync(join(home, 'gpg-agent.conf'), `enable-ssh-support\npinentry-program ${pinentry}\n`);
    const agent = new GpgAgent(home);
    execFileSync('gpg-agent', ['--homedir', home, '--daemon'], { env: { PATH: process.env.PATH }, stdio: 'ignore' });
    return agent;
  }

  /** The socket gpg-agent serves the SSH agent protocol on: what SSH_AUTH_SOCK is set to. */
  get socketPath(): string {
    return this.#dir('agent-ssh-socket');
  }

  /** gpg-agent's own socket (the Assuan protocol of gpg and gpgsm), which SSH_AUTH_SOCK is sometimes set to by mistake. */
  get assuanSocketPath(): string {
    return this.#dir('agent-socket');
  }

  get env(): { SSH_AUTH_SOCK: string } {
    return { SSH_AUTH_SOCK: this.socketPath };
  }

  /** `ssh-add [-c] <key>`: gpg-agent stores the key (under the pinentry's passphrase). Returns its fingerprint. */
  add(keyPath: string, options: { confirm?: boolean } = {}): string {
    execFileSync('ssh-add', [...(options.confirm ? ['-c'] : []), keyPath], { env: { PATH: process.env.PATH, ...this.env }, stdio: 'pipe' });
    return fingerprintOf(keyPath);
  }

  stop(): void {
    execFileSync('gpgconf', ['--homedir', this.home, '--kill', 'gpg-agent'], { stdio: 'ignore' });
  }

  #dir(name: string): string {
    return execFileSync('gpgconf', ['--homedir', this.home, '--list-dirs', name], { encoding: 'utf8' }).trim();
  }
}
