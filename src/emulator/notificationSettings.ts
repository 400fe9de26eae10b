import type { NotificationSetting } from './records.js';

/** The events a trust anchor notifies of, each before its certificates expire. */
export const NOTIFICATION_EVENTS: readonly NotificationSetting['event'][] = ['CA_CERTIFICATE_EXPIRY', 'END_ENTITY_CERTIFICATE_EXPIRY'];

/** A setting's constraints in the API's model: at most 50 in a request (NotificationSettings), a threshold of 1 to 360 days, the channel ALL. */
export const MAX_NOTIFICATION_SETTINGS = 50;
export const THRESHOLD_DAYS = { min: 1, max: 360 } as const;
export const NOTIFICATION_CHANNELS: readonly string[] = ['ALL'];

/** What the API reports of it (NotificationSettingDetail): who set it, the service or the account. */
export interface NotificationSettingDetail extends NotificationSetting {
  readonly threshold: number;
  readonly channel: 'ALL';
  readonly configuredBy: string;
}

/** The service's own setting of every event: enabled, 45 days before expiry, on all channels. */
const DEFAULT_THRESHOLD_DAYS = 45;
const BY_THE_SERVICE = 'rolesanywhere.amazonaws.com';

const serviceSetting = (event: NotificationSetting['event']): NotificationSettingDetail =>
  ({ enabled: true, event, threshold: DEFAULT_THRESHOLD_DAYS, channel: 'ALL', configuredBy: BY_THE_SERVICE });

/** A new trust anchor's settings: the service's defaults, each replaced by the account's setting of that event, if given. */
export function notificationSettingDetails(given: readonly NotificationSetting[], accountId: string): NotificationSettingDetail[] {
  return withNotificationSettings(NOTIFICATION_EVENTS.map(serviceSetting), given, accountId);
}

/**
 * Settings after PutNotificationSettings: each event given takes the account's setting (the last given of it),
 * its threshold, when left out, the one the event had; the events not given keep theirs.
 */
export function withNotificationSettings(
  current: readonly NotificationSettingDetail[],
  given: readonly NotificationSetting[],
  accountId: string,
): NotificationSettingDetail[] {
  return current.map((detail) => {
    const setting = given.findLast((candidate) => candidate.event === detail.event);
    if (!setting) return detail;
    return { enabled: setting.enabled, event: detail.event, threshold: setting.threshold ?? detail.threshold, channel: 'ALL', configuredBy: accountId };
  });
}

/** Settings after ResetNotificationSettings: the events named are the service's again (every channel is ALL). */
export function resetNotificationSettings(current: readonly NotificationSettingDetail[], events: readonly NotificationSetting['event'][]): NotificationSettingDetail[] {
  return current.map((detail) => (events.includes(detail.event) ? serviceSetting(detail.event) : detail));
}
