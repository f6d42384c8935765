import { InvokeCommand, LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { parseJsonOrUndefined } from '../../../shared/json/parse-json.ts';
import type { ProbeInvocation, ProbeInvoker } from '../ports.ts';

/** Lambda's error payload: `{"errorType": …, "errorMessage": …}`. */
const errorOf = (payload: unknown): { errorType?: unknown; errorMessage?: unknown } =>
  typeof payload === 'object' && payload !== null ? payload : {};

/** Invokes the probe synchronously (`RequestResponse`) and reads what it answered. */
export class LambdaProbeInvoker implements ProbeInvoker {
  readonly #client: LambdaClient;

  constructor(config: LambdaClientConfig = {}) {
    this.#client = new LambdaClient(config);
  }

  async invoke(functionName: string): Promise<ProbeInvocation> {
    const reply = await this.#client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode('{}'),
      }),
    );
    const text = reply.Payload === undefined ? '' : reply.Payload.transformToString();
    const payload = parseJsonOrUndefined(text);
    if (reply.FunctionError !== undefined) {
      const { errorType, errorMessage } = errorOf(payload);
      return {
        ok: false,
        error: typeof errorType === 'string' ? errorType : reply.FunctionError,
        message: typeof errorMessage === 'string' ? errorMessage : 'no error message',
      };
    }
    if (payload === undefined) {
      return { ok: false, error: 'NotJson', message: 'the function answered something not JSON' };
    }
    return { ok: true, payload };
  }
}
