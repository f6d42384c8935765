import type { Language } from '../routes/language.ts';

/** The customer in the presets' sample events (`npm run send`), in the route's language. */
export const SAMPLE_CUSTOMER: Readonly<
  Record<
    Language,
    {
      first_name: string;
      last_name: string;
      email: string;
      city: string;
      country: string;
      currency: string;
    }
  >
> = {
  ru: {
    first_name: 'Анна',
    last_name: 'Петрова',
    email: 'anna@example.com',
    city: 'Москва',
    country: 'RU',
    currency: 'RUB',
  },
  en: {
    first_name: 'Anna',
    last_name: 'Smith',
    email: 'anna@example.com',
    city: 'Austin',
    country: 'US',
    currency: 'USD',
  },
};

/** An id that grows with the time it is sent at, so that every run is another event. */
export const sampleId = (now: Date): number => now.getTime();
