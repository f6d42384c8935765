import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { SecretNotFoundError, type SecretStore } from '../../secrets/secrets.ts';

const SecretsFile = z.record(z.string(), z.union([z.string(), z.record(z.string(), z.unknown())]));

/** The secrets file cannot be read as names to values; says which file, never a value. */
export class SecretsFileError extends Error {
  constructor(path: string, why: string, options?: ErrorOptions) {
    super(`secrets file ${path} ${why}`, options);
    this.name = 'SecretsFileError';
  }
}

/**
 * Local secrets: one JSON file mapping secret names to values. An object value stands for the
 * JSON text Secrets Manager would hold. The file is read on every call, so edits apply at once.
 */
export class FileSecretStore implements SecretStore {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  async get(name: string): Promise<string> {
    const file = await this.#read();
    const value = Object.hasOwn(file, name) ? file[name] : undefined;
    if (value === undefined) throw new SecretNotFoundError(name);
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  async #read(): Promise<z.infer<typeof SecretsFile>> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      throw new SecretsFileError(this.#path, 'cannot be read', { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Not even as a cause: the parser's message quotes the text around the mistake, which
      // holds secrets, and loggers print causes.
      throw new SecretsFileError(this.#path, 'is not valid JSON');
    }
    const parsed = SecretsFile.safeParse(json);
    if (!parsed.success) {
      throw new SecretsFileError(
        this.#path,
        'must be a JSON object of secret names to strings or objects',
      );
    }
    return parsed.data;
  }
}
