import type { ProviderName } from '../api/providers.ts';

/**
 * Each provider's Data API host, beside its Call API host (`PROVIDER_HOSTS`). Typed over
 * `ProviderName`: a provider added for calls without its Data API host does not compile. A
 * portal's keys are valid on its own project's host only (a UIS key is refused by CoMagic's).
 */
export const DATA_API_HOSTS: Record<ProviderName, string> = {
  callgear: 'https://dataapi.callgear.com',
  uis: 'https://dataapi.uiscom.ru',
  comagic: 'https://dataapi.comagic.ru',
  novofon: 'https://dataapi-jsonrpc.novofon.ru',
};

/** The Data API version callhook speaks; the base URL ends with it (`…/v2.0`). */
export const DATA_API_VERSION = 'v2.0';

/** `https://dataapi.uiscom.ru` → `https://dataapi.uiscom.ru/v2.0`. */
export const dataApiEndpoint = (baseUrl: string): URL =>
  new URL(`${baseUrl.replace(/\/+$/, '')}/${DATA_API_VERSION}`);
