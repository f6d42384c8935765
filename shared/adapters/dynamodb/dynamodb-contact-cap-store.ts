import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  admitCall,
  CAP_WINDOW_MS,
  type CapEntry,
  type ContactCapStore,
} from '../../guardrails/contact-cap.ts';
import { isConditionFailure } from './condition-failure.ts';
import { type DocumentClientSource, documentClientFrom } from './document-client.ts';

interface CapItem {
  contact_key: string;
  calls: CapEntry[];
  version: number;
  expires_at: number;
}

const MAX_RACES = 25;

/** The number is stored hashed: the table answers "how many calls", not "which numbers". */
const contactKey = (contact: string): string =>
  createHash('sha256').update(`callhook-contact:${contact}`).digest('hex');

/** The contacts table: one item per number, changed by read-modify-write on a version. */
export class DynamoDbContactCapStore implements ContactCapStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: { tableName: string } & DocumentClientSource) {
    this.#client = documentClientFrom(options);
    this.#tableName = options.tableName;
  }

  async admit(contact: string, callId: string, now: Date, limit: number): Promise<boolean> {
    const key = contactKey(contact);
    for (let race = 0; race < MAX_RACES; race += 1) {
      const reply = await this.#client.send(
        new GetCommand({
          TableName: this.#tableName,
          Key: { contact_key: key },
          ConsistentRead: true,
        }),
      );
      const item = reply.Item as CapItem | undefined;
      const admission = admitCall(item?.calls ?? [], callId, now, limit);
      if (!admission.admitted) return false;
      // A repeat of a call already counted: nothing to write.
      if (!admission.added) return true;
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: {
              contact_key: key,
              calls: admission.entries,
              version: (item?.version ?? 0) + 1,
              expires_at: Math.ceil((now.getTime() + CAP_WINDOW_MS) / 1000),
            } satisfies CapItem,
            ConditionExpression:
              item === undefined ? 'attribute_not_exists(contact_key)' : 'version = :version',
            ...(item !== undefined && { ExpressionAttributeValues: { ':version': item.version } }),
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error('the per-number cap is too contended to update');
  }
}
