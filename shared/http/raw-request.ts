export const MAX_BODY_BYTES = 256 * 1024;

/** The parts of an HTTP request a webhook verifier and parser need, independent of API Gateway. */
export interface RawRequest {
  /** Header names lowercased. */
  headers: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  body: Buffer;
}
