export const MAX_BODY_BYTES = 256 * 1024;

/** The parts of an HTTP request a webhook verifier and parser need, independent of API Gateway. */
export interface RawRequest {
  /** Header names lowercased. */
  headers: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  body: Buffer;
  /**
   * The client's address as the network saw it: API Gateway's `requestContext.http.sourceIp`
   * on AWS, the socket's locally. Never a header (`X-Forwarded-For`), which a client writes.
   */
  sourceIp?: string;
}
