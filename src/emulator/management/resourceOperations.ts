import type { EmulatorRequest, Reply } from '../httpExchange.js';
import type { Resource, RolesAnywhereResources } from '../resources.js';
import { notFound } from '../serviceErrors.js';
import { crlDetail, profileDetail, trustAnchorDetail } from './resourceDetails.js';

type Operation = (request: EmulatorRequest, resources: RolesAnywhereResources) => Promise<Reply>;

/** A kind of resource as its by-ID paths name it: its operations' suffix, its answer's key, its list, how the API writes it. */
interface Kind {
  readonly operation: string;
  readonly noun: string;
  readonly key: string;
  readonly list: (resources: RolesAnywhereResources) => Resource[];
  readonly detail: (record: never) => object;
}

const KINDS: Readonly<Record<string, Kind>> = {
  trustanchor: { operation: 'TrustAnchor', noun: 'Trust anchor', key: 'trustAnchor', list: (resources) => resources.trustAnchors, detail: trustAnchorDetail },
  profile: { operation: 'Profile', noun: 'Profile', key: 'profile', list: (resources) => resources.profiles, detail: profileDetail },
  crl: { operation: 'Crl', noun: 'CRL', key: 'crl', list: (resources) => resources.crls, detail: crlDetail },
};

/** The operations of a by-ID path, by method (and the path's last step). */
const VERBS: Readonly<Record<string, string>> = { GET: 'Get', DELETE: 'Delete', 'POST enable': 'Enable', 'POST disable': 'Disable' };

/** `/profile/<id>`, `/crl/<id>/enable`, …: the paths of Get, Delete, Enable and Disable (UpdateX's PATCH is not emulated). */
const BY_ID = /^\/(trustanchor|profile|crl)\/([^/]+?)(?:\/(enable|disable))?$/;

/**
 * The operation on one resource a request asks for (GetProfile, DeleteTrustAnchor, EnableCrl, …), if any:
 * each answers `{ <kind>: <detail> }` as the resource is after it, or ResourceNotFoundException for an ID
 * the account does not hold. Deleting a trust anchor leaves its CRLs, which apply to no other.
 */
export function resourceOperation(request: EmulatorRequest): readonly [name: string, run: Operation] | undefined {
  const [, path = '', encodedId = '', toggle] = BY_ID.exec(request.path.replace(/\/$/, '')) ?? [];
  const kind = KINDS[path];
  const verb = VERBS[toggle === undefined ? request.method : `${request.method} ${toggle}`];
  if (!kind || !verb) return undefined;
  return [
    `${verb}${kind.operation}`,
    async (_request, resources) => {
      const list = kind.list(resources);
      const id = decodedId(encodedId);
      let record = list.find((candidate) => candidate.id === id);
      if (!record) throw notFound(`${kind.noun} ${id} not found`);
      if (verb === 'Delete') resources.remove(list, record);
      else if (verb !== 'Get') record = resources.change(list, record, { enabled: verb === 'Enable' });
      return { status: 200, contentType: 'application/json', body: JSON.stringify({ [kind.key]: kind.detail(record as never) }) };
    },
  ];
}

/** A path's ID as the client meant it (the SDK percent-encodes it); one that does not decode is kept as sent. */
function decodedId(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}
