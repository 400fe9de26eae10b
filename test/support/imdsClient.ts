import { request } from 'node:http';

export interface ImdsResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * One raw HTTP request to the IMDS endpoint, so each status and body can be checked exactly; with
 * `timeoutMs`, one not answered in time fails (SDKs give IMDS about a second).
 */
export function imds(url: string, method: string, path: string, headers: Record<string, string> = {}, timeoutMs?: number): Promise<ImdsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)));
    req.end();
  });
}

export async function imdsToken(url: string, ttl = '21600'): Promise<string> {
  const response = await imds(url, 'PUT', '/latest/api/token', { 'X-aws-ec2-metadata-token-ttl-seconds': ttl });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.body}`);
  return response.body;
}

/** A role's credentials as an SDK asks for them: a token, then the role's path with it. */
export async function imdsCredentials(url: string, role = 'test-role'): Promise<ImdsResponse> {
  const token = await imdsToken(url);
  return imds(url, 'GET', `/latest/meta-data/iam/security-credentials/${role}`, { 'X-aws-ec2-metadata-token': token });
}

/**
 * Asks a running serve for credentials as an SDK would (a token, then the role's credentials) every
 * `intervalMs`, each answer a 200, until `issued()` has grown by `refreshes` (or 15 s pass); returns the
 * AccessKeyIds it was given.
 */
export async function credentialsOverRefreshes(url: string, issued: () => number, refreshes: number, intervalMs = 400): Promise<Set<string>> {
  const target = issued() + refreshes;
  const deadline = Date.now() + 15_000;
  const seen = new Set<string>();
  while (issued() < target && Date.now() < deadline) {
    const response = await imdsCredentials(url);
    if (response.status !== 200) throw new Error(`serve answered ${response.status}: ${response.body}`);
    seen.add(JSON.parse(response.body).AccessKeyId);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  if (issued() < target) throw new Error(`only ${refreshes - (target - issued())} of ${refreshes} refreshes in 15 s`);
  return seen;
}
