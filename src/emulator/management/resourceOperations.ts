import { jsonReply, type EmulatorRequest, type Reply } from '../httpExchange.js';
import { anchorCertificates, type CrlRecord, type Resource, type RolesAnywhereResources, type TrustAnchorRecord } from '../resources.js';
import { notFound, validationError } from '../serviceErrors.js';
import { requestBody, type RequestBody } from './requestBody.js';
import { crlData, given, notCertificates, profileSettings, refusingCrl, resourceName, trustAnchorSource } from './resourceBodies.js';
import { crlDetail, profileDetail, trustAnchorDetail } from './resourceDetails.js';

/** How a management operation answers a request. */
export type Operation = (request: EmulatorRequest, resources: RolesAnywhereResources) => Promise<Reply>;

/**
 * A kind of resource as its by-ID paths name it: its operations' suffix, its answer's key, its list, how
 * the API writes it, and what its UpdateX changes.
 */
interface Kind {
  readonly operation: string;
  readonly noun: string;
  /** The ID's name in the API (a path parameter). */
  readonly idName: string;
  readonly key: string;
  readonly list: (resources: RolesAnywhereResources) => Resource[];
  readonly detail: (record: never) => object;
  readonly update: (body: RequestBody, record: never, resources: RolesAnywhereResources) => Promise<Partial<Resource>>;
}

const KINDS: Readonly<Record<string, Kind>> = {
  trustanchor: {
    operation: 'TrustAnchor',
    noun: 'Trust anchor',
    idName: 'trustAnchorId',
    key: 'trustAnchor',
    list: (resources) => resources.trustAnchors,
    detail: trustAnchorDetail,
    update: async (body, record: TrustAnchorRecord) => {
      const name = resourceName(body, true);
      const pem = trustAnchorSource(body, true);
      if (pem === undefined) return given({ name });
      try {
        return given({ name, ...anchorCertificates(pem, record.name) });
      } catch {
        throw notCertificates();
      }
    },
  },
  profile: {
    operation: 'Profile',
    noun: 'Profile',
    idName: 'profileId',
    key: 'profile',
    list: (resources) => resources.profiles,
    detail: profileDetail,
    update: async (body) => given(profileSettings(body, true)),
  },
  crl: {
    operation: 'Crl',
    noun: 'CRL',
    idName: 'crlId',
    key: 'crl',
    list: (resources) => resources.crls,
    detail: crlDetail,
    update: async (body, record: CrlRecord, resources) => {
      const name = resourceName(body, true);
      const pem = crlData(body, true);
      if (pem === undefined) return given({ name });
      return given({ name, pem, revoked: await refusingCrl(() => resources.crlEntries(pem, record.trustAnchorArn)) });
    },
  },
};

/** The operations of a by-ID path, by method (and the path's last step). */
const VERBS: Readonly<Record<string, string>> = { GET: 'Get', PATCH: 'Update', DELETE: 'Delete', 'POST enable': 'Enable', 'POST disable': 'Disable' };

/** The API's Uuid (length 36, pattern `.*[a-f0-9]{8}-([a-z0-9]{4}-){3}[a-z0-9]{12}.*`). */
const ID_FORM = /^(?=.{36}$).*[a-f0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}/s;

/** `/profile/<id>`, `/crl/<id>/enable`, …: the paths of Get, Update, Delete, Enable and Disable. */
const BY_ID = /^\/(trustanchor|profile|crl)\/([^/]+?)(?:\/(enable|disable))?$/;

/**
 * The operation on one resource a request asks for (GetProfile, UpdateCrl, DeleteTrustAnchor, EnableCrl,
 * …), if any: each answers `{ <kind>: <detail> }` as the resource is after it, or ResourceNotFoundException
 * for an ID the account does not hold. An update changes the fields it gives; deleting a trust anchor
 * leaves its CRLs, which apply to no other.
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
      let record = heldResource(list, id, kind);
      if (verb === 'Delete') resources.remove(list, record);
      else if (verb === 'Update') {
        const change = await kind.update(requestBody(request), record as never, resources);
        // As it is now: another request may have changed or deleted it while a CRL was checked (QA emu: a lost update).
        const current = list.find((candidate) => candidate.id === id);
        if (!current) throw notFound(`${kind.noun} ${id} not found`);
        record = resources.change(list, current, change);
      }
      else if (verb !== 'Get') record = resources.change(list, record, { enabled: verb === 'Enable' });
      return detailReply(kind, record);
    },
  ];
}

/**
 * A change to the resource of an ID (PutNotificationSettings, PutAttributeMapping, …), answered as the
 * by-ID operations answer: `{ <kind>: <detail> }` as it is after; the ID is checked as heldResource checks it.
 */
export function changeResource<R extends Resource>(kindName: 'trustanchor' | 'profile' | 'crl', resources: RolesAnywhereResources, id: string, change: (record: R) => Partial<R>): Reply {
  const kind = KINDS[kindName]!;
  const list = kind.list(resources) as R[];
  const record = heldResource(list, id, kind);
  return detailReply(kind, resources.change(list, record, change(record)));
}

const detailReply = (kind: Kind, record: Resource) => jsonReply(200, { [kind.key]: kind.detail(record as never) });

/**
 * The resource of an ID in its list: ValidationException for an ID not of the API's form (the service checks
 * it first: the API's Uuid, 36 characters; a made-up one is a 400, not a 404, QA), ResourceNotFoundException
 * for one the account does not hold.
 */
export function heldResource<R extends { readonly id: string }>(list: readonly R[], id: string, kind: Pick<Kind, 'idName' | 'noun'>): R {
  const record = list.find((candidate) => candidate.id === id);
  if (!record && !ID_FORM.test(id)) throw validationError(`${kind.idName} must be a 36-character ID such as 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`);
  if (!record) throw notFound(`${kind.noun} ${id} not found`);
  return record;
}

/** A path's ID as the client meant it (the SDK percent-encodes it); one that does not decode is kept as sent. */
export function decodedId(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}
