import { jsonReply, type EmulatorRequest, type Reply } from '../httpExchange.js';
import type { RolesAnywhereResources } from '../resources.js';
import { MAX_TAGS, TAG_KEY } from '../resourceTags.js';
import { notFound, tooManyTags } from '../serviceErrors.js';
import { RequestBody, requestBody } from './requestBody.js';
import { resourceTags } from './resourceBodies.js';

// TagResource, UntagResource and ListTagsForResource, of any trust anchor, profile or CRL the account holds, by
// its ARN (the API's AmazonResourceName: 1 to 1011 characters, no pattern). The tags are those given when it
// was made and since; deleting it drops them.

const RESOURCE_ARN = { minLength: 1, maxLength: 1011 } as const;

/** `POST /TagResource`: adds tags, a key the resource has taking the new value; past 200 in all, TooManyTagsException and none added. */
export async function tagResource(request: EmulatorRequest, resources: RolesAnywhereResources): Promise<Reply> {
  const body = requestBody(request);
  const arn = body.string('resourceArn', RESOURCE_ARN);
  const tags = resourceTags(body, true);
  held(arn, resources);
  const total = resources.tags.countAfter(arn, tags);
  if (total > MAX_TAGS) throw tooManyTags(`${arn} would have ${total} tags: a resource may have at most ${MAX_TAGS}`);
  resources.tags.add(arn, tags);
  return jsonReply(201, {});
}

/** `POST /UntagResource`: removes the tags of the keys given (as given: keys are case-sensitive); a key it has no tag of is passed over. */
export async function untagResource(request: EmulatorRequest, resources: RolesAnywhereResources): Promise<Reply> {
  const body = requestBody(request);
  const arn = body.string('resourceArn', RESOURCE_ARN);
  const keys = body.strings('tagKeys', { maxItems: MAX_TAGS, ...TAG_KEY });
  resources.tags.remove(held(arn, resources), keys);
  return jsonReply(200, {});
}

/** `GET /ListTagsForResource?resourceArn=…`: `{ tags: [{ key, value }] }`, in the order their keys were first given. */
export async function listTagsForResource(request: EmulatorRequest, resources: RolesAnywhereResources): Promise<Reply> {
  const arn = new RequestBody(request.query).string('resourceArn', RESOURCE_ARN);
  return jsonReply(200, { tags: resources.tags.list(held(arn, resources)) });
}

/** A resource's ARN, once the request is checked (the service checks the fields first): ResourceNotFoundException if the account holds none of it. */
function held(arn: string, resources: RolesAnywhereResources): string {
  if (!resources.resource(arn)) throw notFound(`Resource ${arn} not found`);
  return arn;
}
