/**
 * A deployment callhook refuses for a reason its operator fixes (a setting, the config): the CDK
 * app prints the message alone, without a stack trace (`app.ts`).
 */
export class DeploymentRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentRefused';
  }
}
