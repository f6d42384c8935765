import { CallSeconds, ProviderId } from '../../../validation/provider-numbers.ts';
import * as z from '../../../validation/zod.ts';
import type { DataApiClient, DataApiReply } from './client.ts';

/*
 * Every number read here has its range (shared/validation/provider-numbers.ts): ids are positive
 * safe integers, durations 0 … 7 days in seconds. A row with one out of range fails the reply as
 * `unreadable_reply` (client.ts), so no such number reaches a record or a sum.
 */

/** The fields callhook reads of a call session (`get.calls_report`); all may be `null`. */
export const SessionRow = z.looseObject({
  id: ProviderId,
  start_time: z.nullish(z.string()),
  finish_time: z.nullish(z.string()),
  finish_reason: z.nullish(z.string()),
  is_lost: z.nullish(z.boolean()),
  wait_duration: z.nullish(CallSeconds),
  talk_duration: z.nullish(CallSeconds),
  total_duration: z.nullish(CallSeconds),
  call_api_external_id: z.nullish(z.string()),
});
export type SessionRow = z.infer<typeof SessionRow>;

/** The fields callhook reads of one leg (`get.call_legs_report`). */
export const LegRow = z.looseObject({
  id: ProviderId,
  call_session_id: ProviderId,
  start_time: z.nullish(z.string()),
  connect_time: z.nullish(z.string()),
  duration: z.nullish(CallSeconds),
  finish_reason: z.nullish(z.string()),
  is_operator: z.nullish(z.boolean()),
  is_talked: z.nullish(z.boolean()),
});
export type LegRow = z.infer<typeof LegRow>;

/**
 * Asked for by name: `is_talked` is not among a leg's default fields, and the rest of a session
 * (UTM marks, visitor, tags) is of no use here.
 */
const SESSION_FIELDS = Object.keys(SessionRow.shape);
const LEG_FIELDS = Object.keys(LegRow.shape);

/** How a session is found: by its id, or by the `external_id` the call was placed with. */
export type SessionLookup = { sessionId: number } | { externalId: string };

/** The span of start times a report covers: the Data API requires one, three months at most. */
export interface ReportWindow {
  from: Date;
  till: Date;
}

/**
 * The Data API reads `date_from` and `date_till` in the account's own time zone, which no reply
 * names. Filtering by id is exact, so the window only has to contain the call: widened by a day
 * on each side, it does in every zone (offsets stay within ±14 hours), whatever zone the text is
 * read in.
 */
export const ZONE_MARGIN_MS = 86_400_000;
const MAX_SPAN_MS = 89 * 86_400_000;

/** `2026-03-02T10:00:00.000Z` → `2026-03-02 10:00:00`, the Data API's date format. */
export const reportDate = (date: Date): string => date.toISOString().slice(0, 19).replace('T', ' ');

const windowParams = ({ from, till }: ReportWindow) => {
  const end = till.getTime() + ZONE_MARGIN_MS;
  const start = Math.max(from.getTime() - ZONE_MARGIN_MS, end - MAX_SPAN_MS);
  return { date_from: reportDate(new Date(start)), date_till: reportDate(new Date(end)) };
};

/** The two reports callhook reads, for one access key. */
export class DataApiReports {
  readonly #client: DataApiClient;
  readonly #token: string;

  constructor(client: DataApiClient, accessToken: string) {
    this.#client = client;
    this.#token = accessToken;
  }

  /**
   * The call session `lookup` names, if the report has it. Without `ongoing`, only sessions
   * that have ended are listed (the report's default).
   */
  async session(
    lookup: SessionLookup,
    window: ReportWindow,
    ongoing = false,
  ): Promise<DataApiReply<SessionRow | undefined>> {
    const filter =
      'sessionId' in lookup
        ? { field: 'id', operator: '=', value: lookup.sessionId }
        : { field: 'call_api_external_id', operator: '=', value: lookup.externalId };
    const reply = await this.#client.request(
      'get.calls_report',
      {
        ...windowParams(window),
        filter,
        fields: SESSION_FIELDS,
        limit: 10,
        ...(ongoing && { include_ongoing_calls: true }),
      },
      this.#token,
      z.array(SessionRow),
    );
    // An external id is ours alone and each attempt has its own; the last one started wins if
    // the provider ever lists two.
    const sorted = [...reply.data].sort((a, b) =>
      (a.start_time ?? '') < (b.start_time ?? '') ? -1 : 1,
    );
    return { ...reply, data: sorted.at(-1) };
  }

  /**
   * The start times (in the account's own time zone, as the report writes them) of the calls
   * the customer at `contact` made to the account in `window`, ended ones only.
   */
  async inboundFrom(contact: string, window: ReportWindow): Promise<DataApiReply<string[]>> {
    const reply = await this.#client.request(
      'get.calls_report',
      {
        ...windowParams(window),
        filter: {
          filters: [
            { field: 'direction', operator: '=', value: 'in' },
            { field: 'contact_phone_number', operator: '=', value: contact },
          ],
          condition: 'and',
        },
        fields: ['id', 'start_time'],
        limit: 100,
      },
      this.#token,
      z.array(z.looseObject({ id: ProviderId, start_time: z.nullish(z.string()) })),
    );
    return {
      ...reply,
      data: reply.data.flatMap((row) => (row.start_time == null ? [] : [row.start_time])),
    };
  }

  /** The legs of one session, in the order they started. */
  async legs(sessionId: number, window: ReportWindow): Promise<DataApiReply<LegRow[]>> {
    const reply = await this.#client.request(
      'get.call_legs_report',
      {
        ...windowParams(window),
        filter: { field: 'call_session_id', operator: '=', value: sessionId },
        fields: LEG_FIELDS,
        sort: [{ field: 'start_time', order: 'asc' }],
        limit: 100,
      },
      this.#token,
      z.array(LegRow),
    );
    return reply;
  }
}
