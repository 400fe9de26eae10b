import type { EmulatorRequest, Reply } from '../httpExchange.js';
import { resetNotificationSettings as resetSettings, withNotificationSettings } from '../notificationSettings.js';
import type { RolesAnywhereResources, TrustAnchorRecord } from '../resources.js';
import { requestBody, type RequestBody } from './requestBody.js';
import { notificationSettingKeys, notificationSettings } from './resourceBodies.js';
import { changeResource } from './resourceOperations.js';

// PutNotificationSettings and ResetNotificationSettings (`PATCH /put-notifications-settings`, `PATCH
// /reset-notifications-settings`, the trust anchor's ID in the body): each answers `{ trustAnchor }` as it is
// after. The settings are reported, not acted on: the emulator notifies of nothing.

/** Sets the account's setting of each event given; the others keep theirs. */
export async function putNotificationSettings(request: EmulatorRequest, resources: RolesAnywhereResources): Promise<Reply> {
  const body = requestBody(request);
  const id = trustAnchorId(body);
  const given = notificationSettings(body, true);
  return changed(resources, id, (anchor) => withNotificationSettings(anchor.notificationSettings, given, anchor.accountId));
}

/** Gives each event named back the service's setting. */
export async function resetNotificationSettings(request: EmulatorRequest, resources: RolesAnywhereResources): Promise<Reply> {
  const body = requestBody(request);
  const id = trustAnchorId(body);
  const events = notificationSettingKeys(body);
  return changed(resources, id, (anchor) => resetSettings(anchor.notificationSettings, events));
}

/** The body's trustAnchorId (a required string: its form is checked where the account holds none of it). */
const trustAnchorId = (body: RequestBody) => body.string('trustAnchorId');

function changed(resources: RolesAnywhereResources, id: string, settings: (anchor: TrustAnchorRecord) => TrustAnchorRecord['notificationSettings']): Reply {
  return changeResource<TrustAnchorRecord>('trustanchor', resources, id, (anchor) => ({ notificationSettings: settings(anchor) }));
}
