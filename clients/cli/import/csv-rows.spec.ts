import { UsageError } from '../exit-codes';
import { csvField, csvLine, layoutFromHeader, toRecipientRow } from './csv-rows';

describe('layoutFromHeader', () => {
  it('finds the fixed columns without regard to case; every other column is a variable', () => {
    const layout = layoutFromHeader([' Phone_Number', 'first_name', 'TIMEZONE', 'external_id', 'order id', 'language']);
    expect(layout).toMatchObject({ phoneNumber: 0, timezone: 2, externalId: 3, language: 5 });
    expect(layout.variables).toEqual([
      { name: 'first_name', index: 1 },
      { name: 'order id', index: 4 },
    ]);
  });

  it.each([
    [['number', 'name'], 'must name a phone_number column'],
    [['phone_number', ''], 'column 2 has no name'],
    [['phone_number', 'city', 'city'], '"city" appears more than once'],
    [['phone_number', 'PHONE_NUMBER'], 'appears more than once'],
  ])('%j is refused: %s', (header, message) => {
    expect(() => layoutFromHeader(header)).toThrow(UsageError);
    expect(() => layoutFromHeader(header)).toThrow(message);
  });
});

describe('toRecipientRow', () => {
  const layout = layoutFromHeader(['phone_number', 'first_name', 'language', 'timezone', 'external_id', 'city']);

  it('maps the fixed columns (trimmed) and the variables (as given, blanks left out)', () => {
    expect(toRecipientRow(layout, [' 918123002929 ', 'Asha ', 'hi-IN', 'Asia/Kolkata', 'crm-1', ''])).toEqual({
      phoneNumber: '918123002929',
      variables: { first_name: 'Asha ' },
      language: 'hi-IN',
      metadata: {},
      timezone: 'Asia/Kolkata',
      externalId: 'crm-1',
    });
  });

  it('absent optional columns become empty fields', () => {
    expect(toRecipientRow(layoutFromHeader(['phone_number']), ['+14155550100'])).toEqual({
      phoneNumber: '+14155550100',
      variables: {},
      language: '',
      metadata: {},
      timezone: '',
      externalId: '',
    });
  });

  it('refuses a row whose column count differs from the header; the service judges everything else', () => {
    expect(toRecipientRow(layout, ['+14155550100'])).toBe('wrong_column_count');
    expect(toRecipientRow(layout, ['1', '2', '3', '4', '5', '6', '7'])).toBe('wrong_column_count');
    expect(toRecipientRow(layout, ['not a number', '', '', '', '', ''])).toMatchObject({ phoneNumber: 'not a number' });
  });
});

describe('csv output', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['', ''],
  ])('%j → %s', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it('a line ends with a newline', () => {
    expect(csvLine(['7', 'invalid_phone_number', '12', 'x,y'])).toBe('7,invalid_phone_number,12,"x,y"\n');
  });
});
