/** JSON.parse that answers `undefined` for text that is not JSON, for callers that validate next. */
export const parseJsonOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
