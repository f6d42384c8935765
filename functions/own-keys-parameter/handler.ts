import { generatedOwnKeys } from '../../shared/secrets/own-keys.ts';

/** What CloudFormation sends a custom resource's `onEvent` (through the CDK's Provider). */
export interface OwnKeysParameterEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
  ResourceProperties: { ParameterName: string };
  /** On Update: the properties of the deploy before. */
  OldResourceProperties?: { ParameterName: string };
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
 * Delete, and an Update that keeps the name, do nothing: the parameter is retained, as the
 * secrets are.
 */
export const createOwnKeysParameterHandler =
  (deps: OwnKeysParameterDeps) =>
  async (event: OwnKeysParameterEvent): Promise<{ PhysicalResourceId: string }> => {
    const name = event.ResourceProperties.ParameterName;
    // An Update that renames it is a Create for the new name: the functions' grants and prefix
    // follow the new name at this deploy, and must find a parameter there (kept if copied first).
    const renamed =
      event.RequestType === 'Update' && event.OldResourceProperties?.ParameterName !== name;
    if (event.RequestType === 'Create' || renamed) {
      await deps.putNew(name, generatedOwnKeys(deps.randomBytes));
    }
    return { PhysicalResourceId: renamed ? name : (event.PhysicalResourceId ?? name) };
  };
