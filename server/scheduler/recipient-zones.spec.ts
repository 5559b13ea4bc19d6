import { timezones } from 'libphonenumber-geo-carrier';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { DateTime } from 'luxon';
import { DAYS_OF_WEEK } from '../campaigns/campaign';
import { campaignWindowSpec, nextAllowed } from './calling-window';
import { recipientZones, zonesForNumber } from './recipient-zones';

const NY = 'America/New_York';

describe('zonesForNumber', () => {
  const cases: [string, string, string[]][] = [
    ['New York (+1 212)', '+12125551234', [NY]],
    ['Chicago (+1 312)', '+13125551234', ['America/Chicago']],
    ['Toronto (+1 613)', '+16135550123', ['America/Toronto']],
    ['Idaho (+1 208 320): two zones', '+12083201234', ['America/Boise', 'America/Los_Angeles']],
    ['India: the old name Asia/Calcutta comes back as Asia/Kolkata', '+919876543210', ['Asia/Kolkata']],
    ['Nepal: Asia/Katmandu comes back as Asia/Kathmandu', '+97715551234', ['Asia/Kathmandu']],
    ['Germany', '+4915112345678', ['Europe/Berlin']],
    ['an unassigned country code', '+99912345678', []],
    ['not E.164: no plus', '12125551234', []],
    ['not E.164: letters', '+1212555CALL', []],
    ['empty', '', []],
  ];
  test.each(cases)('%s', async (_name, e164, expected) => {
    expect(await zonesForNumber(e164)).toEqual(expected);
  });

  test('a +1 number known only by its country maps to every NANP zone, so no 09:00–17:00 fits all', async () => {
    const zones = await zonesForNumber('+18005551234');
    expect(zones).toEqual(expect.arrayContaining([NY, 'America/Chicago', 'Pacific/Guam', 'Pacific/Honolulu']));
    expect(zones.length).toBeGreaterThan(40);
    const settings = {
      timezone: NY,
      startDate: null,
      endDate: null,
      daysOfWeek: DAYS_OF_WEEK,
      dailyStartTime: '09:00:00',
      dailyEndTime: '17:00:00',
      recipientLocalTime: true,
    };
    const spec = campaignWindowSpec(settings, undefined, undefined, recipientZones(null, zones, NY));
    const started = performance.now();
    expect(nextAllowed(spec, new Date('2026-03-04T15:00:00Z'))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test('agrees with the library’s own timezones() lookup', async () => {
    const numbers = ['+12125551234', '+12083201234', '+18005551234', '+447700900123', '+61255501234', '+61412345678'];
    const more = ['+79123456789', '+5511987654321', '+8613812345678', '+34612345678', '+919876543210'];
    const renamed: Record<string, string> = { 'Asia/Calcutta': 'Asia/Kolkata', 'Asia/Katmandu': 'Asia/Kathmandu' };
    for (const e164 of [...numbers, ...more, '+6281234567890', '+97715551234']) {
      const expected = (await timezones(parsePhoneNumberFromString(e164))) ?? [];
      const normalised = expected.map((zone) => renamed[zone] ?? zone);
      expect({ e164, zones: await zonesForNumber(e164) }).toEqual({ e164, zones: normalised });
    }
  });

  test('every zone it can answer is one luxon knows', async () => {
    const prefixes = ['+1', '+7', '+44', '+52', '+55', '+61', '+62', '+86', '+91', '+977', '+880', '+95', '+299'];
    for (const prefix of prefixes) {
      for (const zone of await zonesForNumber(`${prefix}${'5'.repeat(14 - prefix.length)}`)) {
        expect({ zone, valid: DateTime.now().setZone(zone).isValid }).toEqual({ zone, valid: true });
      }
    }
  });
});

describe('recipientZones', () => {
  const cases: [string, string | null, string[], string, string[]][] = [
    ['the recipient’s own timezone wins', 'Europe/Paris', [NY], 'UTC', ['Europe/Paris']],
    ['else the number’s zones', null, [NY, 'America/Chicago'], 'UTC', [NY, 'America/Chicago']],
    ['number zones without repeats', null, [NY, NY], 'UTC', [NY]],
    ['else the campaign’s zone', null, [], 'Asia/Tokyo', ['Asia/Tokyo']],
    ['an invalid recipient timezone is skipped', 'Nowhere/Atlantis', [NY], 'UTC', [NY]],
    ['invalid number zones are skipped', null, ['Etc/Unknown'], 'Asia/Tokyo', ['Asia/Tokyo']],
  ];
  test.each(cases)('%s', (_name, timezone, numberZones, campaignZone, expected) => {
    expect(recipientZones(timezone, numberZones, campaignZone)).toEqual(expected);
  });
});
