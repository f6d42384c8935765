/** What a verifier learnt from the signed parts of a request, beyond the body. */
export interface VerifiedSender {
  /** An event id the sender signed (Standard Webhooks' `webhook-id`): the event's natural key. */
  eventId?: string;
}
