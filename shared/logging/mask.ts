/** Hides all but the last 4 digits of a phone number, keeping its length visible. */
export const maskPhone = (phone: string): string => {
  const visible = 4;
  if (phone.length <= visible) return '*'.repeat(phone.length);
  return '*'.repeat(phone.length - visible) + phone.slice(-visible);
};

/** Masks every run of 7 or more digits in free text, such as a provider's error message. */
export const maskPhonesIn = (text: string): string => text.replace(/\d{7,}/g, maskPhone);
