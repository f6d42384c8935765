import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhonesIn } from '../../shared/logging/mask.ts';
import { normalisePhone, type PhoneRules } from '../../shared/routes/phone.ts';

const russia: PhoneRules = { defaultCountry: 'RU', allowedCountries: ['RU', 'GB'], forbidden: [] };

describe('Function: normalisePhone', () => {
  it.each([
    ['+7 (926) 000-00-00', '79260000000'],
    ['8 926 000 00 00', '79260000000'],
    ['8(926)000-00-00', '79260000000'],
    ['9260000000', '79260000000'],
    ['+44 20 7946 0958', '442079460958'],
  ])('turns %s into the E.164 digits %s with default country RU', (input, expected) => {
    expect(normalisePhone(input, russia)).toBe(expected);
  });

  it('reads a national number by the default country', () => {
    const us: PhoneRules = { defaultCountry: 'US', allowedCountries: ['US'], forbidden: [] };
    expect(normalisePhone('(201) 555-0123', us)).toBe('12015550123');
  });

  it('accepts a phone sent as a JSON number', () => {
    expect(normalisePhone(79260000000, russia)).toBe('79260000000');
  });

  it.each([
    ['missing', undefined],
    ['empty', '  '],
    ['too short', '12'],
    ['letters', 'call me'],
    ['an object', { phone: '89260000000' }],
    ['a fraction', 7926.5],
  ])('refuses a phone that is %s with invalid_phone', (_, input) => {
    expect(() => normalisePhone(input, russia)).toThrow(
      expect.objectContaining({ status: 422, code: 'invalid_phone' }),
    );
  });

  it.each([
    ['a country the route does not allow', '+49 30 901820', 'country_not_allowed'],
    ['a premium-rate number', '8 809 123 45 67', 'number_type_not_allowed'],
    ["the account's own virtual number", '+7 499 372-06-92', 'own_number'],
  ])('refuses %s', (_, input, code) => {
    const rules = { ...russia, forbidden: ['74993720692'] };
    expect(() => normalisePhone(input, rules)).toThrow(
      expect.objectContaining({ status: 422, code }),
    );
  });

  it('calls toll-free and landline numbers', () => {
    expect(normalisePhone('8 800 123 45 67', russia)).toBe('78001234567');
    expect(normalisePhone('+7 495 123-45-67', russia)).toBe('74951234567');
  });
});

describe('Function: maskPhone', () => {
  it('keeps only the last 4 digits', () => {
    expect(maskPhone('79260001234')).toBe('*******1234');
  });

  it('hides a number of 4 digits or fewer entirely', () => {
    expect(maskPhone('123')).toBe('***');
  });
});

describe('Function: maskPhonesIn', () => {
  it('masks every long digit run in a message and leaves short numbers alone', () => {
    expect(maskPhonesIn('The contact 79990000013 has been found in the blacklist; limit 600')).toBe(
      'The contact *******0013 has been found in the blacklist; limit 600',
    );
  });
});
