/** The events a trust anchor notifies of, each before its certificates expire. */
export const NOTIFICATION_EVENTS = ['CA_CERTIFICATE_EXPIRY', 'END_ENTITY_CERTIFICATE_EXPIRY'] as const;

/** A trust anchor's setting for one event (NotificationSetting), as CreateTrustAnchor takes it. */
export interface NotificationSetting {
  readonly enabled: boolean;
  readonly event: (typeof NOTIFICATION_EVENTS)[number];
  readonly threshold?: number | undefined;
  readonly channel?: 'ALL' | undefined;
}

/** What the API reports of it (NotificationSettingDetail): who set it, the service or the account. */
export interface NotificationSettingDetail extends NotificationSetting {
  readonly channel: 'ALL';
  readonly configuredBy: string;
}

/** The service's own setting of every event: enabled, 45 days before expiry, on all channels. */
const DEFAULT_THRESHOLD_DAYS = 45;
const BY_THE_SERVICE = 'rolesanywhere.amazonaws.com';

/** A trust anchor's settings: the service's defaults, each replaced by the account's setting of that event, if given. */
export function notificationSettingDetails(given: readonly NotificationSetting[], accountId: string): NotificationSettingDetail[] {
  return NOTIFICATION_EVENTS.map((event) => {
    const setting = given.findLast((candidate) => candidate.event === event);
    if (!setting) return { enabled: true, event, threshold: DEFAULT_THRESHOLD_DAYS, channel: 'ALL', configuredBy: BY_THE_SERVICE };
    return { ...setting, threshold: setting.threshold ?? DEFAULT_THRESHOLD_DAYS, channel: 'ALL', configuredBy: accountId };
  });
}
