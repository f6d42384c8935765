/*
 * What `npm run doctor` needs from AWS, as ports: the report logic runs on in-memory ones in the
 * unit tests, and on the adapters in `aws/` (real SDK clients) otherwise.
 */

/** A deployed stack as CloudFormation describes it. */
export interface StackFacts {
  /** `CREATE_COMPLETE`, `UPDATE_ROLLBACK_COMPLETE`, … */
  status: string;
  /** Output key → value (`ApiUrl`, `EgressIp1`, `ProbeFunctionName`). */
  outputs: Record<string, string>;
}

/** CloudFormation: the stacks of a deployment. */
export interface StackOutputs {
  /** The stack's status and outputs; undefined when no stack has that name. */
  describe(stackName: string): Promise<StackFacts | undefined>;
  /**
   * The physical ids (ARNs) of the Secrets Manager secrets the stack itself created: their first
   * value is the one CloudFormation generated. Secrets it imports are not among them.
   */
  createdSecrets(stackName: string): Promise<string[]>;
}

/** One secret as Secrets Manager holds it. The value stays in the doctor; it is never printed. */
export type SecretFacts =
  | { state: 'missing' }
  | { state: 'scheduled_for_deletion' }
  | {
      state: 'present';
      arn: string;
      /** How many versions carry a staging label: 1 until someone puts a value of their own. */
      versions: number;
      /** The text value; undefined for a binary secret. */
      value: string | undefined;
    };

/** Secrets Manager, read with the operator's own credentials. */
export interface SecretReader {
  read(name: string): Promise<SecretFacts>;
}

/**
 * One SSM parameter as Parameter Store holds it (`secretStore=parameter-store`), read decrypted.
 * The value stays in the doctor; it is never printed.
 */
export type ParameterFacts =
  | { state: 'missing' }
  | {
      state: 'present';
      /** `SecureString`, or `String` / `StringList`, which are kept unencrypted. */
      type: string;
      value: string;
    };

/** Parameter Store, read with the operator's own credentials. */
export interface ParameterReader {
  read(name: string): Promise<ParameterFacts>;
}

/** What a synchronous invocation returned: the function's answer, or the error it ended with. */
export type ProbeInvocation =
  | { ok: true; payload: unknown }
  | { ok: false; error: string; message: string };

/** Lambda: invokes the probe function and waits for its answer. */
export interface ProbeInvoker {
  invoke(functionName: string): Promise<ProbeInvocation>;
}

/** An HTTP GET, for the deployed API's `/health`. */
export interface HttpGet {
  get(url: string): Promise<{ status: number; body: string }>;
}

export interface DoctorPorts {
  stacks: StackOutputs;
  secrets: SecretReader;
  parameters: ParameterReader;
  probe: ProbeInvoker;
  http: HttpGet;
}
