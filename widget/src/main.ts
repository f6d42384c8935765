import { type MountedCaptcha, mountCaptcha } from './captcha.ts';
import { type Language, TEXTS, type Texts, type Weekday } from './texts.ts';

/*
 * The "call me back" widget: one <script src=".../widget/callhook-widget.js" data-route="…">
 * on the shop's page. It reads the route's public form settings, renders an accessible form
 * after its own tag, loads the route's CAPTCHA, posts the form as JSON to /hooks/{route} and
 * says what happened, in words, through a live region. No framework, no inline code, no eval.
 */

interface FormSettings {
  open: boolean;
  opens_local?: { time: string; in_days: number; weekday: Weekday };
  language: Language;
  captcha: {
    provider: 'turnstile' | 'hcaptcha' | 'yandex-smartcaptcha';
    site_key: string;
    script_url: string;
  };
  consent: { required: boolean; text_version: string } | null;
}

const script = document.currentScript as HTMLScriptElement | null;

/** An element with its attributes and children, built without HTML strings. */
const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
};

const whenOpens = (texts: Texts, settings: FormSettings): string => {
  const opens = settings.opens_local;
  if (opens === undefined) return '';
  if (opens.in_days === 0) return texts.today(opens.time);
  if (opens.in_days === 1) return texts.tomorrow(opens.time);
  return texts.onDay(opens.weekday, opens.time);
};

/** One id per form and number, kept for the tab's life: a reload sends the same form again. */
const requestIdFor = (route: string, phone: string): string => {
  const key = `callhook:${route}:${phone.replace(/\D/g, '')}`;
  try {
    const kept = sessionStorage.getItem(key);
    if (kept !== null) return kept;
    const made = crypto.randomUUID();
    sessionStorage.setItem(key, made);
    return made;
  } catch {
    return crypto.randomUUID();
  }
};

let instances = 0;

const start = async (tag: HTMLScriptElement): Promise<void> => {
  const route = tag.dataset.route ?? '';
  // Where callhook answers: the folder above the script's, so an API served under a path (the
  // WAF-guarded browser API's stage, `/forms`) is kept. It ends with a slash.
  const base = new URL('../', tag.src).href;
  instances += 1;
  const n = instances;
  const id = (name: string) => `callhook-${n}-${name}`;

  const stylesheet = el('link', { rel: 'stylesheet', href: `${base}widget/callhook-widget.css` });
  document.head.append(stylesheet);
  const status = el('p', { class: 'callhook-status', role: 'status', 'aria-live': 'polite' });
  const section = el(
    'section',
    { class: 'callhook-widget', 'aria-labelledby': id('title') },
    status,
  );
  const target =
    tag.dataset.target === undefined ? null : document.querySelector(tag.dataset.target);
  if (target === null) tag.after(section);
  else target.append(section);

  let settings: FormSettings;
  try {
    const reply = await fetch(`${base}hooks/${encodeURIComponent(route)}/form`);
    if (!reply.ok) throw new Error(`HTTP ${reply.status}`);
    settings = (await reply.json()) as FormSettings;
  } catch {
    const language: Language = tag.dataset.lang === 'en' ? 'en' : 'ru';
    status.textContent = TEXTS[language].unavailable;
    return;
  }
  const language: Language =
    tag.dataset.lang === 'ru' || tag.dataset.lang === 'en' ? tag.dataset.lang : settings.language;
  const texts = TEXTS[language];
  section.lang = language;

  const hours = el(
    'p',
    { class: 'callhook-hours' },
    settings.open ? texts.openNow : texts.closed(whenOpens(texts, settings)),
  );
  const phone = el('input', {
    id: id('phone'),
    name: 'phone',
    type: 'tel',
    autocomplete: 'tel',
    inputmode: 'tel',
    required: '',
    'aria-describedby': id('hint'),
  });
  const fields: HTMLElement[] = [
    el('label', { for: id('phone') }, texts.phone),
    phone,
    el('p', { id: id('hint'), class: 'callhook-hint' }, texts.phoneHint),
  ];
  let consent: HTMLInputElement | undefined;
  if (settings.consent !== null) {
    consent = el('input', { id: id('consent'), name: 'consent', type: 'checkbox' });
    if (settings.consent.required) consent.required = true;
    const label = el('label', { for: id('consent') }, texts.consent);
    const terms = tag.dataset.consentUrl;
    const link =
      terms === undefined
        ? []
        : [
            ' (',
            el('a', { href: terms, target: '_blank', rel: 'noopener' }, texts.consentLink),
            ')',
          ];
    fields.push(el('div', { class: 'callhook-consent' }, consent, label, ...link));
  }
  const captchaBox = el('div', { class: 'callhook-captcha' });
  const submit = el('button', { type: 'submit' }, texts.submit);
  const form = el('form', { novalidate: '' }, ...fields, captchaBox, submit);
  section.prepend(el('h2', { id: id('title') }, texts.title), hours, form);

  const say = (text: string) => {
    status.textContent = text;
  };
  let token: string | undefined;
  let captcha: MountedCaptcha | undefined;
  try {
    captcha = await mountCaptcha(
      settings.captcha.provider,
      settings.captcha.script_url,
      settings.captcha.site_key,
      captchaBox,
      language,
      (given) => {
        token = given;
      },
    );
  } catch {
    say(texts.captchaUnavailable);
  }

  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // A second press while the first is on its way sends nothing.
    if (sending) return;
    const number = phone.value.trim();
    phone.removeAttribute('aria-invalid');
    if (number === '') {
      phone.setAttribute('aria-invalid', 'true');
      phone.focus();
      return say(texts.needPhone);
    }
    if (consent?.required === true && !consent.checked) {
      consent.focus();
      return say(texts.needConsent);
    }
    if (token === undefined) return say(texts.needCaptcha);
    sending = true;
    submit.disabled = true;
    say(texts.sending);
    try {
      const reply = await fetch(`${base}hooks/${encodeURIComponent(route)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          request_id: requestIdFor(route, number),
          phone: number,
          captcha_token: token,
          ...(consent !== undefined && { consent: consent.checked }),
        }),
      });
      const body = (await reply.json().catch(() => ({}))) as Record<string, unknown>;
      say(outcome(texts, settings, reply, body));
      if (reply.ok) form.hidden = true;
      else if (
        body.code === 'invalid_phone' ||
        body.code === 'country_not_allowed' ||
        body.code === 'number_type_not_allowed'
      ) {
        phone.setAttribute('aria-invalid', 'true');
        phone.focus();
      }
    } catch {
      say(texts.failed);
    } finally {
      sending = false;
      submit.disabled = false;
      // A token is good once: the next try needs the challenge again.
      captcha?.reset();
    }
  });
};

/** What the visitor reads after a submit. */
const outcome = (
  texts: Texts,
  settings: FormSettings,
  reply: Response,
  body: Record<string, unknown>,
): string => {
  if (reply.ok) {
    return body.status === 'scheduled'
      ? texts.scheduled(whenOpens(texts, settings))
      : texts.calling;
  }
  switch (body.code) {
    case 'rate_limited':
    case 'contact_rate_limited': {
      const seconds = Number(reply.headers.get('retry-after') ?? '60');
      return texts.tooMany(Math.max(1, Math.ceil(seconds / 60)));
    }
    case 'invalid_phone':
    case 'country_not_allowed':
    case 'number_type_not_allowed':
    case 'own_number':
      return texts.invalidNumber;
    case 'captcha_failed':
      return texts.captchaFailed;
    case 'captcha_unavailable':
      return texts.captchaUnavailable;
    case 'consent_required':
      return texts.needConsent;
    default:
      return texts.failed;
  }
};

if (script !== null) void start(script);
