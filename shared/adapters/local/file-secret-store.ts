import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { SecretNotFoundError, type SecretStore } from '../../config/secrets.ts';

const SecretsFile = z.record(z.string(), z.union([z.string(), z.record(z.string(), z.unknown())]));

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
    const file = SecretsFile.parse(JSON.parse(await readFile(this.#path, 'utf8')));
    const value = Object.hasOwn(file, name) ? file[name] : undefined;
    if (value === undefined) throw new SecretNotFoundError(name);
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
}
