import { defineCommand } from '../../command.js';
import { EMULATOR_FLAGS } from './flags.js';

export const emulatorCommand = defineCommand({
  name: 'emulator',
  summary: 'Run a local IAM Roles Anywhere and STS that check requests as AWS does, for tests',
  flags: EMULATOR_FLAGS,
  arguments: 'refused',
  exclusions: [
    ['config', 'trust-anchor-certificate'],
    ['config', 'crl'],
  ],
  details: `Once it listens, it prints one line of JSON on stdout and nothing more:
  {"endpoint":"http://127.0.0.1:PORT","region":"us-east-1","trustAnchorArn":"arn:...","profileArn":"arn:...",
   "roleArn":"arn:...","trustAnchors":[{"name":"...","arn":"..."}],
   "profiles":[{"name":"...","arn":"...","roleArns":["..."]}],"assumableRoleArns":["..."]}
trustAnchorArn, profileArn and roleArn are the first of each, left out when there is none. Log lines
(every refused request, with the reason) go to stderr. SIGINT, SIGTERM or SIGHUP stops it.
The credentials it issues are known to it alone: with --cache, run "cache clear" when it starts
again, or its STS refuses the credentials cached from the last run (InvalidClientTokenId).

The endpoint answers, as the services do and with their error shapes:
  CreateSession (POST /sessions): signature, date, chain, validity, key usage, revocation, ARNs,
    duration, session name; session tags by the profile's attribute mapping
  STS GetCallerIdentity and AssumeRole (POST /, query protocol): SigV4 verified with the credentials
    the emulator issued; AssumeRole is role chaining (at most 3600 s), the source identity carried over
  The management API of trust anchors, profiles and CRLs: Create (ImportCrl), List, Get, Update,
    Enable, Disable and Delete, TagResource, UntagResource and ListTagsForResource, Put and
    ResetNotificationSettings, Put and DeleteAttributeMapping, and List and GetSubject (the
    certificate subjects CreateSession has seen) (REST-JSON, not authenticated):
    what they change counts at once; an omitted "enabled" leaves a trust anchor or profile disabled
    and a CRL in force

--trust-anchor-certificate alone: one trust anchor, one profile for the role
arn:aws:iam::123456789012:role/roles-anywhere-emulator (any duration, role session names accepted).
With neither it nor --config: nothing until a setup script creates it.

--config FILE, paths relative to the file; every key but trustAnchors[].certificates and
profiles[].roleArns is optional:
  {
    "accountId": "123456789012",
    "region": "eu-west-1",
    "trustAnchors": [{ "name": "root", "certificates": "root.pem", "crls": ["root.crl"] }],
    "profiles": [{ "name": "workload", "roleArns": ["arn:aws:iam::123456789012:role/workload"],
                   "acceptRoleSessionName": false, "durationSeconds": 43200 }],
    "assumableRoles": [{ "roleArn": "arn:aws:iam::444455556666:role/deploy", "externalId": "ci" }]
  }
ARNs are derived from the names (or the certificates): the same setup gives the same ARNs every time.
durationSeconds is the longest session the profile grants; assumableRoles are the roles AssumeRole
may take with credentials the emulator issued (an externalId, when given, is required).
A trust anchor may have "tags" and "notificationSettings", a profile "tags" and "attributeMappings",
as CreateTrustAnchor, CreateProfile and PutAttributeMapping take them.`,
  load: async () => (await import('./run.js')).run,
});
