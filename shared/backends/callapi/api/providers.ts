/** The four public deployments of the Call API differ only in their host. */
export const PROVIDER_HOSTS = {
  callgear: 'https://callapi.callgear.com',
  uis: 'https://callapi.uiscom.ru',
  comagic: 'https://callapi.comagic.ru',
  novofon: 'https://callapi-jsonrpc.novofon.ru',
} as const;

export type ProviderName = keyof typeof PROVIDER_HOSTS;

export const DEFAULT_API_VERSION = 'v4.0';

/** `https://callapi.callgear.com` + `v4.0` → `https://callapi.callgear.com/v4.0`. */
export const endpointUrl = (baseUrl: string, version: string = DEFAULT_API_VERSION): URL =>
  new URL(`${baseUrl.replace(/\/+$/, '')}/${version}`);
