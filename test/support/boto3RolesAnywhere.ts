import { execFile, execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';

/** What boto3 answered one call: the response (timestamps as ISO strings, no ResponseMetadata), or the error as botocore reports it. */
export type Boto3Answer =
  | { readonly answer: Record<string, unknown> }
  | { readonly error: { readonly code: string; readonly status: number; readonly message: string } };

const env = () => ({
  PATH: process.env.PATH,
  HOME: tmpdir(),
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_ACCESS_KEY_ID: 'AKIDSETUP',
  AWS_SECRET_ACCESS_KEY: 'setup',
  AWS_EC2_METADATA_DISABLED: 'true',
});

const SCRIPT = `
import json, sys, boto3, botocore.config, botocore.exceptions
endpoint, region, calls = sys.argv[1], sys.argv[2], json.loads(sys.stdin.read())
client = boto3.client("rolesanywhere", endpoint_url=endpoint, region_name=region, config=botocore.config.Config(retries={"max_attempts": 1}))
answers = []
for operation, params in calls:
    try:
        answer = getattr(client, operation)(**params)
        answer.pop("ResponseMetadata", None)
        answers.append({"answer": answer})
    except botocore.exceptions.ClientError as error:
        answers.append({"error": {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"], "message": error.response["Error"]["Message"]}})
print(json.dumps(answers, default=lambda value: value.isoformat()))
`;

/**
 * Calls of the Roles Anywhere API made with the machine's boto3, in one process, in turn (`['put_attribute_mapping',
 * { profileId, … }]`): the operations the installed @aws-sdk/client-rolesanywhere is too old to have.
 */
export async function boto3RolesAnywhere(endpoint: string, region: string, calls: readonly (readonly [string, object])[]): Promise<Boto3Answer[]> {
  const run = promisify(execFile)('python3', ['-c', SCRIPT, endpoint, region], { env: env(), encoding: 'utf8' });
  run.child.stdin!.end(JSON.stringify(calls));
  return JSON.parse((await run).stdout) as Boto3Answer[];
}

/** Whether the machine's boto3 has these Roles Anywhere operations (Debian 12's botocore 1.29 has none added since 2023). */
export function boto3HasOperations(...operations: readonly string[]): boolean {
  const names = execFileSync('python3', ['-c', 'import json, boto3; print(json.dumps(boto3.client("rolesanywhere", region_name="us-east-1").meta.service_model.operation_names))'], {
    env: env(),
    encoding: 'utf8',
  });
  const known = JSON.parse(names) as string[];
  return operations.every((operation) => known.includes(operation));
}
