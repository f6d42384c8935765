/** Session ids are unique per provider account only, so the index key names the account too. */
export const sessionKeyOf = (account: string, callSessionId: number): string =>
  `${account}#${callSessionId}`;
