import type { CallhookConfig } from '../config/schema.ts';
import { ProblemError, quoteInput } from '../http/problem-error.ts';
import { nextOpening, WEEKDAYS, type Weekday } from '../routes/calling-hours.ts';
import { type Language, languageOf } from '../routes/language.ts';
import { calendarDaysBetween, hourMinuteOf, isoWeekdayOf, zonedAt } from '../routes/zoned-time.ts';
import type { CaptchaProviderName } from '../senders/captcha/provider-names.ts';
import { CAPTCHA_PROVIDERS } from '../senders/captcha/registry.ts';

/**
 * What the widget needs to show a browser route's form, and nothing else: whether the route
 * calls now (and when it next opens, in the route's own time zone), its language, the CAPTCHA's
 * public site key and script, and whether it asks consent. No number, account or secret.
 */
export interface FormSettings {
  open: boolean;
  /** When closed: the next opening (ISO), and its local time, day offset and weekday. */
  opens_at?: string;
  opens_local?: { time: string; in_days: number; weekday: Weekday };
  language: Language;
  captcha: { provider: CaptchaProviderName; site_key: string; script_url: string };
  consent: { required: boolean; text_version: string } | null;
}

/** `GET /hooks/{route}/form`: for a browser route only; any other name is `unknown_route`. */
export const formSettingsOf = (
  config: CallhookConfig,
  routeName: string,
  now: Date,
): FormSettings => {
  const route = Object.hasOwn(config.routes, routeName) ? config.routes[routeName] : undefined;
  if (route === undefined || route.auth.type !== 'browser') {
    throw new ProblemError(
      'unknown_route',
      `No browser route named ${quoteInput(routeName)} is configured.`,
    );
  }
  const { auth } = route;
  const opening =
    route.calling_hours === undefined ? undefined : nextOpening(route.calling_hours, now);
  const base = {
    language: languageOf(route),
    captcha: {
      provider: auth.captcha.provider,
      site_key: auth.captcha.site_key,
      script_url: auth.captcha.script_url ?? CAPTCHA_PROVIDERS[auth.captcha.provider].scriptUrl,
    },
    consent:
      auth.consent === undefined
        ? null
        : { required: auth.consent.required, text_version: auth.consent.text_version },
  };
  if (opening === undefined || route.calling_hours === undefined) return { open: true, ...base };
  const zone = route.calling_hours.time_zone;
  const opens = zonedAt(opening, zone);
  return {
    open: false,
    opens_at: opening.toISOString(),
    opens_local: {
      time: hourMinuteOf(opens),
      in_days: calendarDaysBetween(zonedAt(now, zone).wall, opens.wall),
      weekday: WEEKDAYS[isoWeekdayOf(opens.wall) - 1] as Weekday,
    },
    ...base,
  };
};
