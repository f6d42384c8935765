/**
 * The admin key, for this tab only: `sessionStorage` dies with the tab and is never sent by the
 * browser on its own (as a cookie would be), and the key never goes in a URL.
 */
const STORAGE_KEY = 'callhook.admin-key';

export const storedKey = (): string | null => sessionStorage.getItem(STORAGE_KEY);
export const keepKey = (key: string): void => sessionStorage.setItem(STORAGE_KEY, key);
export const forgetKey = (): void => sessionStorage.removeItem(STORAGE_KEY);
