import { readFileSync } from 'node:fs';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromRolesAnywhere } from 'roles-anywhere-helper';
const e = JSON.parse(readFileSync(process.env.EMU, 'utf8'));
const DUR = Number(process.argv[2]) * 1000;
const logs = [];
const logger = { debug: (m) => { if (/cache/.test(m)) logs.push(`${Math.round((Date.now()-t0)/1000)}s ${m.slice(0, 120)}`); }, info() {}, warn: (m) => logs.push('WARN ' + m), error: (m) => logs.push('ERROR ' + m) };
const p = fromRolesAnywhere({ logger, certificate: e.cert, privateKey: e.key, trustAnchorArn: e.trustAnchorArn, profileArn: e.profileArn, roleArn: e.roleArn, endpoint: e.endpoint, cache: true });
const sts = new STSClient({ region: 'us-east-1', endpoint: e.endpoint, credentials: p });
const t0 = Date.now(); let ok = 0, err = 0, keys = new Set();
while (Date.now() - t0 < DUR) {
  try { await sts.send(new GetCallerIdentityCommand({})); ok++; keys.add((await p()).accessKeyId); } catch (x) { err++; logs.push('CALL ERR ' + x.name + ' ' + x.message.slice(0, 150)); }
  await new Promise(r => setTimeout(r, 100));
}
console.log(`pid ${process.pid} ok ${ok} err ${err} distinct keys ${keys.size}\n  ` + logs.join('\n  '));
