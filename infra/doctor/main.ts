import { readFileSync } from 'node:fs';
import { loadConfigFile } from '../../shared/config/load.ts';
import { CloudFormationStacks } from './aws/cloudformation-stacks.ts';
import { LambdaProbeInvoker } from './aws/lambda-probe-invoker.ts';
import { ParameterStoreReader } from './aws/parameter-store-reader.ts';
import { SecretsManagerReader } from './aws/secrets-manager-reader.ts';
import { allPassed } from './check.ts';
import { type DoctorReport, runDoctor } from './doctor.ts';
import { fetchHttp } from './http-get.ts';
import { type DoctorOptions, doctorOptions } from './options.ts';
import { renderReport } from './render.ts';

/**
 * `npm run doctor -- [--stage <name>] [--config <file>]`: checks a deployment with the
 * operator's AWS credentials and region (the SDK's default chain: `AWS_PROFILE`, `AWS_REGION`,
 * …) and prints what to fix. Exit code 0 when every check passed, 1 when one failed, 2 when the
 * doctor could not run.
 */

// As for `npm start`: on a Node 20 workstation the SDK's notice about future versions is noise in
// a report (package-lock.json pins versions that run here).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A refusal the operator can act on, printed without a stack trace. */
function refuse(text: string, hint?: string): never {
  console.error(text);
  if (hint !== undefined) console.error(hint);
  process.exit(2);
}

const message = (error: unknown): string =>
  error instanceof Error
    ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
    : String(error);

const USAGE = 'usage: npm run doctor -- [--stage <name>] [--config <file>]';
if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
  console.log(`Checks a deployment with your AWS credentials and region: its stacks, its secrets, the
probe from inside its VPC, its API. Prints what to fix.

${USAGE}

  --stage <name>   the stage to check (default: callhook:stage in cdk.json's context)
  --config <file>  its config file (default: callhook:config in cdk.json's context)
  -h, --help       this help

It reads AWS_PROFILE, AWS_REGION and the SDK's other settings.
exit codes: 0 every check passed, 1 one failed, 2 the doctor could not run`);
  process.exit(0);
}

let options: DoctorOptions;
try {
  const cdkJson = JSON.parse(readFileSync('cdk.json', 'utf8')) as {
    context?: Record<string, unknown>;
  };
  options = doctorOptions(process.argv.slice(2), cdkJson.context ?? {});
} catch (error) {
  refuse(`doctor: ${message(error)}`, `${USAGE}   (--help for more)`);
}
const config = await loadConfigFile(options.configFile).catch((error: unknown) =>
  refuse(message(error)),
);

let report: DoctorReport;
try {
  report = await runDoctor(
    {
      stacks: new CloudFormationStacks(),
      secrets: new SecretsManagerReader(),
      parameters: new ParameterStoreReader(),
      probe: new LambdaProbeInvoker(),
      http: fetchHttp(),
    },
    {
      config,
      configFile: options.configFile,
      stage: options.stage,
      secretStore: options.secretStore,
    },
  );
} catch (error) {
  // Describing the stacks failed: no credentials, no region, or no permission.
  refuse(
    `doctor: could not read the stacks: ${message(error)}`,
    'It uses your AWS credentials and region: aws configure, AWS_PROFILE, AWS_REGION.',
  );
}
const stage = options.stage === undefined ? 'the default stage' : `stage ${options.stage}`;
console.log(
  renderReport(
    report,
    `callhook doctor: ${stage} (${report.stacks.stateful}, ${report.stacks.stateless}), config ${options.configFile}`,
  ),
);
process.exitCode = allPassed(report.checks) ? 0 : 1;
