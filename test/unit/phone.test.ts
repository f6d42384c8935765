import { getCountries } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { maskContactIn, maskPhone } from '../../shared/logging/mask.ts';
import { numberingFor } from '../../shared/routes/numbering-for.ts';
import { normalisePhone, type PhoneRules } from '../../shared/routes/phone.ts';

const russia: PhoneRules = {
  defaultCountry: 'RU',
  allowedCountries: ['RU', 'GB'],
  forbidden: [],
  numbering: numberingFor(['RU', 'GB']),
};

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
    const us: PhoneRules = {
      defaultCountry: 'US',
      allowedCountries: ['US'],
      forbidden: [],
      numbering: numberingFor(['US']),
    };
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

  it('refuses a number from a calling code the deployment does not dial as country_not_allowed', () => {
    expect(() => normalisePhone('+49 30 901820', russia)).toThrow(
      expect.objectContaining({
        code: 'country_not_allowed',
        message: expect.stringContaining('+49'),
      }),
    );
    expect(() => normalisePhone('+800 1234 5678', russia)).toThrow(
      expect.objectContaining({ code: 'country_not_allowed' }),
    );
  });

  it('tells a Kazakh +7 number from a Russian one', () => {
    expect(() => normalisePhone('+7 701 234 5678', russia)).toThrow(
      expect.objectContaining({
        code: 'country_not_allowed',
        message: expect.stringContaining('KZ'),
      }),
    );
  });

  it('answers every number with the cut numbering as with the whole world', () => {
    const world = { ...russia, numbering: numberingFor(getCountries()) };
    const outcome = (input: string, rules: PhoneRules) => {
      try {
        return normalisePhone(input, rules);
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    const inputs = [
      '+7 926 000-00-00',
      '8 (495) 123-45-67',
      '+7 701 234 5678',
      '8 809 123 45 67',
      '+44 20 7946 0958',
      '+44 909 879 0000',
      '+49 30 901820',
      '+1 201 555 0123',
      '+380 44 123 4567',
      '+800 1234 5678',
      '926',
      '+7 926',
    ];
    for (const input of inputs) {
      expect([input, outcome(input, russia)]).toEqual([input, outcome(input, world)]);
    }
  });

  it('cuts whole calling-code groups from the metadata', () => {
    const numbering = numberingFor(['RU']);
    expect(Object.keys(numbering.metadata.countries).sort()).toEqual(['KZ', 'RU']);
    expect(numbering.metadata.country_calling_codes).toEqual({ '7': ['RU', 'KZ'] });
    expect(numbering.callingCodes).toEqual(expect.arrayContaining(['1', '7', '44', '49', '800']));
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

describe('Function: maskContactIn', () => {
  it('masks the contact in a message, written in full or without its country code', () => {
    expect(
      maskContactIn(
        'The contact 79990000013 has been found in the blacklist; limit 600',
        '+79990000013',
      ),
    ).toBe('The contact *******0013 has been found in the blacklist; limit 600');
    expect(maskContactIn('number 9990000013 refused', '79990000013')).toBe(
      'number ******0013 refused',
    );
  });

  it('leaves ids and other digits whole: it masks what is a contact, not what looks like one', () => {
    const text =
      'cancelled by an operator (request 12345605-2f4f-4c1a-9d1e-000000000013), session 17966162163860';
    expect(maskContactIn(text, '+79990000013')).toBe(text);
  });
});
