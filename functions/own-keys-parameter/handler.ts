import { generatedOwnKeys } from '../../shared/secrets/own-keys.ts';

/** What CloudFormation sends a custom resource's `onEvent` (through the CDK's Provider). */
export interface OwnKeysParameterEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
  ResourceProperties: { ParameterName: string };
}

export interface OwnKeysParameterDeps {
  /** Puts the parameter unless it exists (`putNewSecureParameter`). */
  putNew: (name: string, value: string) => Promise<'created' | 'kept'>;
  randomBytes: (size: number) => Uint8Array;
}

/**
 * The custom resource that gives `callhook/keys` a value in Parameter Store
 * (`secretStore=parameter-store`), generated here so it never passes through a template. On
 * Create it puts a new `SecureString`, and keeps one that exists: a value copied from Secrets
 * Manager, or put by hand, stays, so the contact-hash key never changes under existing records.
 * Update and Delete do nothing: the parameter is retained, as the secrets are.
 */
export const createOwnKeysParameterHandler =
  (deps: OwnKeysParameterDeps) =>
  async (event: OwnKeysParameterEvent): Promise<{ PhysicalResourceId: string }> => {
    const name = event.ResourceProperties.ParameterName;
    if (event.RequestType === 'Create') {
      await deps.putNew(name, generatedOwnKeys(deps.randomBytes));
    }
    return { PhysicalResourceId: event.PhysicalResourceId ?? name };
  };
