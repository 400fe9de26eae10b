import type { Env } from '../context.js';
import { HelperError } from '../errors.js';
import { option, type OptionName } from '../optionNames.js';
import type { Arn } from '../session/arn.js';
import { plainRegion } from '../session/endpoint.js';
import { checkedDuration, checkedRoleSessionName, requireArn, resolveSessionConfig, type SessionInputs } from '../session/sessionConfig.js';
import { fail, pass, skip, type Finding } from './findings.js';

/** The three ARNs of a CreateSession request, as sessionConfig checks them. */
const ARNS = [
  { option: 'trustAnchorArn', what: 'trust anchor', service: 'rolesanywhere', resourcePrefix: 'trust-anchor/' },
  { option: 'profileArn', what: 'profile', service: 'rolesanywhere', resourcePrefix: 'profile/' },
  { option: 'roleArn', what: 'role', service: 'iam', resourcePrefix: 'role/' },
] as const satisfies readonly { option: OptionName; what: string; service: string; resourcePrefix: string }[];

/**
 * The ARNs given, each of its kind; the trust anchor and profile in one Region, and any two given in one
 * partition and account; and, with all three, the rest of the request (duration, session name, endpoint)
 * checked as credential-process would check it before sending (without them, a duration or session name
 * given is checked on its own, and what is missing is said).
 */
export function arnFindings(inputs: SessionInputs, env: Env): Finding[] {
  const given = ARNS.filter((arn) => inputs[arn.option]);
  if (given.length === 0) {
    return [skip('arn', `ARNs not checked: give ${ARNS.map((arn) => option(arn.option)).join(', ')} to check them`), ...sessionParameterFindings(inputs)];
  }
  const findings: Finding[] = [];
  const parsed: Partial<Record<(typeof ARNS)[number]['option'], Arn>> = {};
  for (const arn of given) {
    const value = inputs[arn.option]!;
    try {
      parsed[arn.option] = requireArn(value, arn.what, arn.option, arn.service, arn.resourcePrefix);
      findings.push(pass('arn', `${arn.what} ARN ${value}`));
    } catch (error) {
      if (!(error instanceof HelperError)) throw error;
      findings.push(fail('arn', error.text));
    }
  }
  const { trustAnchorArn: anchor, profileArn: profile, roleArn: role } = parsed;
  if (Object.keys(parsed).length >= 2) findings.push(regionsFinding(anchor, profile, role));
  // A FIPS spelling of the Region (us-east-1-fips) names the same Region.
  if (anchor && inputs.region && plainRegion(inputs.region) !== anchor.region) {
    findings.push(
      // A failure, as CreateSession signed for another Region is refused (QA: a warning, and the request then passed).
      fail('regions', `${option('region')} ${inputs.region} is not the trust anchor's Region ${anchor.region}: the trust anchor exists only in ${anchor.region}, and CreateSession signed for another Region is refused`),
    );
  }
  // A duration and a session name that are both wrong are both said, whether or not the ARNs are (consistency
  // QA: the whole request's check stopped at the first); the rest of the request is checked when they are right.
  const parameters = sessionParameterFindings(inputs);
  if (given.length === ARNS.length && !findings.some((finding) => finding.status === 'fail') && parameters.length === 0) findings.push(requestFinding(inputs, env));
  else findings.push(...parameters);
  const missing = ARNS.filter((arn) => !inputs[arn.option]);
  // As for none: an ARN left out is not checked, nor the request, which credential-process would refuse to send (QA: nothing said so).
  if (missing.length > 0) findings.push(skip('request', `request not checked: give ${missing.map((arn) => option(arn.option)).join(', ')} to check it`));
  return findings;
}

/** Without the whole request to check, a duration or session name given is still checked on its own. */
function sessionParameterFindings(inputs: SessionInputs): Finding[] {
  const checks = [
    inputs.durationSeconds !== undefined && (() => checkedDuration(inputs.durationSeconds)),
    inputs.roleSessionName !== undefined && (() => checkedRoleSessionName(inputs.roleSessionName, 'roleSessionName')),
  ];
  return checks.flatMap((check) => {
    if (!check) return [];
    try {
      check();
      return [];
    } catch (error) {
      if (!(error instanceof HelperError)) throw error;
      return [fail('request', error.text)];
    }
  });
}

/** Whichever two or three ARNs are given: one Region (the Roles Anywhere ones), one partition, one account. */
function regionsFinding(anchor: Arn | undefined, profile: Arn | undefined, role: Arn | undefined): Finding {
  if (anchor && profile && anchor.region !== profile.region) {
    return fail('regions', `the trust anchor is in ${anchor.region} and the profile in ${profile.region}: they must be in the same Region`);
  }
  const partitions = new Set([anchor, profile, role].flatMap((arn) => (arn ? [arn.partition] : [])));
  if (partitions.size > 1) return fail('regions', `the ARNs are in different partitions (${[...partitions].join(', ')})`);
  // A profile is of its trust anchor's account, and passes only roles of that account (the emulator refuses the others).
  if (anchor && profile && anchor.accountId !== profile.accountId) {
    return fail('regions', `the trust anchor is of account ${anchor.accountId} and the profile of ${profile.accountId}: they must be of one account`);
  }
  const [owner, ownerName] = profile ? [profile, 'the profile'] : [anchor!, 'the trust anchor'];
  if (role && role.accountId !== owner.accountId) {
    return fail('regions', `the role is of account ${role.accountId} and ${ownerName} of ${owner.accountId}: a profile passes only its own account's roles`);
  }
  if (anchor && profile) return pass('regions', `the trust anchor and the profile are both in ${anchor.region}`);
  return pass('regions', `the role is of ${ownerName}'s account and partition`);
}

/** The whole request, resolved as it would be sent (the endpoint from the Region or the options). */
function requestFinding(inputs: SessionInputs, env: Env): Finding {
  try {
    const config = resolveSessionConfig(inputs, env);
    const name = config.roleSessionName ? `, session name ${config.roleSessionName}` : '';
    return pass('request', `CreateSession would go to ${config.endpoint.href} (signing Region ${config.signingRegion}, ${config.durationSeconds} s${name})`);
  } catch (error) {
    if (!(error instanceof HelperError)) throw error;
    return fail('request', error.text);
  }
}
