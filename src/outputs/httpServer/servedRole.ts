import type { ServerResponse } from 'node:http';
import { reasonOf } from '../../errors.js';
import { libraryNaming, nameOptions, type OptionNaming } from '../../optionNames.js';
import type { TemporaryCredentials } from '../../temporaryCredentials.js';

/** One role a credentials server hands out, under its name. */
export interface ServedRole {
  readonly name: string;
  /**
   * Credentials valid now, synchronously when they are at hand; throws (or rejects) when there are none,
   * which is answered with an error, never with empty credentials.
   */
  credentials(): TemporaryCredentials | Promise<TemporaryCredentials>;
  /** When the credentials now held were obtained. */
  lastUpdated(): Date;
}

/** How a server writes a role's credentials: the document, its Content-Type, and the answer when there are none. */
export interface CredentialsRendering {
  readonly contentType: string;
  document(credentials: TemporaryCredentials, lastUpdated: Date): string;
  /** Answers that no credentials can be given, with the reason (`unable to obtain credentials: …`). */
  unavailable(res: ServerResponse, message: string): void;
  /** How the reason names options (default: as the library does). */
  readonly naming?: OptionNaming;
}

interface RenderedDocument {
  readonly credentials: TemporaryCredentials;
  readonly lastUpdated: Date;
  readonly body: Buffer;
  readonly headers: Record<string, string | number>;
}

/**
 * Answers with a role's credentials. The document is rendered once per credentials and refresh, so that
 * the hot path writes a buffer it holds; a role whose credentials are not at hand is answered when they are.
 */
export function credentialsAnswer(rendering: CredentialsRendering): (res: ServerResponse, role: ServedRole) => void | Promise<void> {
  const rendered = new Map<ServedRole, RenderedDocument>();
  const write = (res: ServerResponse, role: ServedRole, credentials: TemporaryCredentials) => {
    const lastUpdated = role.lastUpdated();
    let document = rendered.get(role);
    if (document?.credentials !== credentials || document.lastUpdated !== lastUpdated) {
      const body = Buffer.from(rendering.document(credentials, lastUpdated));
      document = { credentials, lastUpdated, body, headers: { 'Content-Type': rendering.contentType, 'Content-Length': body.length } };
      rendered.set(role, document);
    }
    res.writeHead(200, document.headers);
    res.end(document.body);
  };
  return (res, role) => {
    const unavailable = (error: unknown) =>
      rendering.unavailable(res, `unable to obtain credentials: ${nameOptions(reasonOf(error), rendering.naming ?? libraryNaming)}`);
    let credentials: TemporaryCredentials | Promise<TemporaryCredentials>;
    try {
      credentials = role.credentials();
    } catch (error) {
      return unavailable(error);
    }
    if (credentials instanceof Promise) return credentials.then((c) => write(res, role, c), unavailable);
    write(res, role, credentials);
  };
}
