/** The widget's words, in each language a route speaks (`shared/routes/language.ts`). */
export type Language = 'ru' | 'en';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface Texts {
  title: string;
  phone: string;
  phoneHint: string;
  consent: string;
  consentLink: string;
  submit: string;
  openNow: string;
  closed: (when: string) => string;
  today: (time: string) => string;
  tomorrow: (time: string) => string;
  onDay: (day: Weekday, time: string) => string;
  sending: string;
  calling: string;
  scheduled: (when: string) => string;
  tooMany: (minutes: number) => string;
  invalidNumber: string;
  needPhone: string;
  needCaptcha: string;
  needConsent: string;
  captchaFailed: string;
  captchaUnavailable: string;
  failed: string;
  unavailable: string;
}

const RU_DAYS: Record<Weekday, string> = {
  mon: 'в понедельник',
  tue: 'во вторник',
  wed: 'в среду',
  thu: 'в четверг',
  fri: 'в пятницу',
  sat: 'в субботу',
  sun: 'в воскресенье',
};

const EN_DAYS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export const TEXTS: Record<Language, Texts> = {
  ru: {
    title: 'Перезвоните мне',
    phone: 'Ваш номер телефона',
    phoneHint: 'Например, +7 912 345-67-89',
    consent: 'Я согласен на обработку моих персональных данных',
    consentLink: 'условия',
    submit: 'Перезвоните мне',
    openNow: 'Мы на связи: позвоним вам сразу.',
    closed: (when) => `Сейчас мы закрыты; мы позвоним вам ${when}.`,
    today: (time) => `сегодня в ${time}`,
    tomorrow: (time) => `завтра в ${time}`,
    onDay: (day, time) => `${RU_DAYS[day]} в ${time}`,
    sending: 'Отправляем…',
    calling: 'Спасибо! Мы звоним вам прямо сейчас.',
    scheduled: (when) => `Спасибо! Сейчас мы закрыты; мы позвоним вам ${when}.`,
    tooMany: (minutes) => `Слишком много запросов. Попробуйте снова через ${minutes} мин.`,
    invalidNumber: 'На этот номер мы позвонить не можем. Проверьте его.',
    needPhone: 'Введите номер телефона.',
    needCaptcha: 'Подтвердите, что вы не робот.',
    needConsent: 'Отметьте согласие на обработку персональных данных.',
    captchaFailed: 'Проверка не пройдена. Пройдите её ещё раз.',
    captchaUnavailable: 'Проверка сейчас недоступна. Попробуйте через минуту.',
    failed: 'Не получилось отправить. Попробуйте позже.',
    unavailable: 'Форма обратного звонка сейчас недоступна.',
  },
  en: {
    title: 'Call me back',
    phone: 'Your phone number',
    phoneHint: 'For example, +44 7700 900123',
    consent: 'I agree to the processing of my personal data',
    consentLink: 'terms',
    submit: 'Call me back',
    openNow: 'We are open: we will call you at once.',
    closed: (when) => `We are closed; we will call you ${when}.`,
    today: (time) => `at ${time} today`,
    tomorrow: (time) => `at ${time} tomorrow`,
    onDay: (day, time) => `at ${time} on ${EN_DAYS[day]}`,
    sending: 'Sending…',
    calling: 'Thank you! We are calling you now.',
    scheduled: (when) => `Thank you! We are closed; we will call you ${when}.`,
    tooMany: (minutes) =>
      `Too many requests. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    invalidNumber: 'We cannot call this number. Please check it.',
    needPhone: 'Please enter your phone number.',
    needCaptcha: 'Please confirm that you are not a robot.',
    needConsent: 'Please agree to the processing of your personal data.',
    captchaFailed: 'The check did not pass. Please do it again.',
    captchaUnavailable: 'The check is unavailable right now. Please try again in a minute.',
    failed: 'Your request could not be sent. Please try again later.',
    unavailable: 'The call-back form is unavailable right now.',
  },
};
