import { request } from 'node:http';

export interface ImdsResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One raw HTTP request to the IMDS endpoint, so each status and body can be checked exactly. */
export function imds(url: string, method: string, path: string, headers: Record<string, string> = {}): Promise<ImdsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function imdsToken(url: string, ttl = '21600'): Promise<string> {
  const response = await imds(url, 'PUT', '/latest/api/token', { 'X-aws-ec2-metadata-token-ttl-seconds': ttl });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.body}`);
  return response.body;
}
