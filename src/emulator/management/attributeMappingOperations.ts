import { CERTIFICATE_FIELDS, SPECIFIER, withMapping, withoutMapping, type CertificateField } from '../attributeMappings.js';
import type { AttributeMapping } from '../records.js';
import type { EmulatorRequest, Reply } from '../httpExchange.js';
import type { ProfileRecord, RolesAnywhereResources } from '../resources.js';
import { RequestBody, requestBody } from './requestBody.js';
import { changeResource, decodedId, type Operation } from './resourceOperations.js';

// PutAttributeMapping and DeleteAttributeMapping (`PUT` and `DELETE /profiles/{profileId}/mappings`): each
// answers `{ profile }` as it is after, and the next CreateSession through the profile makes its session tags
// by the new mapping.

const MAPPINGS = /^\/profiles\/([^/]+)\/mappings$/;

/** The attribute mapping operation a request asks for (its name and how to run it), if any. */
export function attributeMappingOperation(request: EmulatorRequest): readonly [name: string, run: Operation] | undefined {
  const [, encodedId] = MAPPINGS.exec(request.path.replace(/\/$/, '')) ?? [];
  if (encodedId === undefined) return undefined;
  const id = decodedId(encodedId);
  if (request.method === 'PUT') return ['PutAttributeMapping', async (_request, resources) => putAttributeMapping(request, id, resources)];
  if (request.method === 'DELETE') return ['DeleteAttributeMapping', async (_request, resources) => deleteAttributeMapping(request, id, resources)];
  return undefined;
}

/** The field's rules become those given, in place of its own (the other fields keep theirs). */
function putAttributeMapping(request: EmulatorRequest, id: string, resources: RolesAnywhereResources): Reply {
  const body = requestBody(request);
  const field = certificateField(body);
  const specifiers = body.objects('mappingRules', { maxItems: Infinity, required: true }).map((rule) => rule.string('specifier', SPECIFIER));
  return changed(resources, id, (mappings) => withMapping(mappings, field, specifiers));
}

/** Without specifiers, the field is no longer mapped; with them, those rules of the field go. */
function deleteAttributeMapping(request: EmulatorRequest, id: string, resources: RolesAnywhereResources): Reply {
  const field = certificateField(new RequestBody(request.query));
  return changed(resources, id, (mappings) => withoutMapping(mappings, field, request.queryLists?.specifiers));
}

const certificateField = (body: RequestBody) => body.string('certificateField', { oneOf: CERTIFICATE_FIELDS }) as CertificateField;

function changed(resources: RolesAnywhereResources, id: string, mapping: (mappings: readonly AttributeMapping[]) => AttributeMapping[]): Reply {
  return changeResource<ProfileRecord>('profile', resources, id, (profile) => ({ attributeMappings: mapping(profile.attributeMappings) }));
}
