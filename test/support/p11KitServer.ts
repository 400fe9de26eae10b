import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * `p11-kit server` forwarding one token of a module over a UNIX socket, as tokens are forwarded into
 * containers; clients load p11-kit-client.so with `env`. It runs in the foreground in a process group of its
 * own, with the child it forks for each connection, so that `stop` ends them all, as a restart of the service does.
 */
export class P11KitServer {
  private constructor(
    private readonly process: ChildProcess,
    readonly socket: string,
  ) {}

  /** For the clients: where the server listens. */
  get env(): Record<string, string> {
    return { P11_KIT_SERVER_ADDRESS: `unix:path=${this.socket}` };
  }

  static async start(socket: string, module: string, tokenUri: string, env: Record<string, string>): Promise<P11KitServer> {
    const child = spawn('p11-kit', ['server', '--foreground', '--name', socket, '--provider', module, tokenUri], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
      detached: true,
    });
    const server = new P11KitServer(child, socket);
    for (let i = 0; i < 100 && !existsSync(socket); i++) {
      if (child.exitCode !== null) break;
      await sleep(50);
    }
    if (!existsSync(socket)) {
      await server.stop();
      throw new Error(`p11-kit server did not listen on ${socket}`);
    }
    return server;
  }

  /** Ends the server and the children serving its connections; resolves once the server has exited. */
  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      process.kill(-this.process.pid!, 'SIGTERM');
      await exited;
    }
  }
}
