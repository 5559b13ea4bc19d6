import { DomainError } from '../errors';
import { validateTenantPolicy, type TenantPolicy, type TenantPolicyInput } from './tenant-policy';

const TENANT = '7f1c2b9e-3a4d-4c5e-8f60-1a2b3c4d5e6f';
const NONE: TenantPolicyInput = {
  tenantId: TENANT,
  quietHoursStart: '',
  quietHoursEnd: '',
  bypassMayOverrideQuietHours: false,
  maxCallsPerNumber: 0,
  frequencyWindowDays: 0,
};

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (e: unknown) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('validateTenantPolicy', () => {
  it('an empty policy: no quiet hours, no cap, the default window', () => {
    expect(validateTenantPolicy(NONE)).toEqual({
      tenantId: TENANT,
      quietHours: null,
      bypassMayOverrideQuietHours: false,
      maxCallsPerNumber: 0,
      frequencyWindowDays: 1,
    });
  });

  it('a full policy, times normalised', () => {
    expect(
      validateTenantPolicy({
        tenantId: ` ${TENANT} `,
        quietHoursStart: '08:00',
        quietHoursEnd: ' 21:00:00 ',
        bypassMayOverrideQuietHours: true,
        maxCallsPerNumber: 3,
        frequencyWindowDays: 7,
      }),
    ).toEqual({
      tenantId: TENANT,
      quietHours: { start: '08:00:00', end: '21:00:00' },
      bypassMayOverrideQuietHours: true,
      maxCallsPerNumber: 3,
      frequencyWindowDays: 7,
    });
  });

  it.each<[string, Partial<TenantPolicyInput>, Partial<TenantPolicy>]>([
    ['seconds kept', { quietHoursStart: '07:30:15', quietHoursEnd: '20:45:30' }, { quietHours: { start: '07:30:15', end: '20:45:30' } }],
    ['a window to the end of the day', { quietHoursStart: '09:00', quietHoursEnd: '24:00' }, { quietHours: { start: '09:00:00', end: '24:00:00' } }],
    ['from midnight', { quietHoursStart: '00:00', quietHoursEnd: '00:00:01' }, { quietHours: { start: '00:00:00', end: '00:00:01' } }],
    ['the largest cap', { maxCallsPerNumber: 1000, frequencyWindowDays: 365 }, { maxCallsPerNumber: 1000, frequencyWindowDays: 365 }],
    ['a cap over one day', { maxCallsPerNumber: 1, frequencyWindowDays: 1 }, { maxCallsPerNumber: 1, frequencyWindowDays: 1 }],
    ['a window kept without a cap', { frequencyWindowDays: 30 }, { maxCallsPerNumber: 0, frequencyWindowDays: 30 }],
    ['bypass allowed without quiet hours', { bypassMayOverrideQuietHours: true }, { bypassMayOverrideQuietHours: true, quietHours: null }],
  ])('accepts %s', (_, patch, expected) => {
    expect(validateTenantPolicy({ ...NONE, ...patch })).toMatchObject(expected);
  });

  it.each<[string, Partial<TenantPolicyInput>, string]>([
    ['only a start', { quietHoursStart: '08:00' }, 'quiet_hours_end'],
    ['only an end', { quietHoursEnd: '21:00' }, 'quiet_hours_start'],
    ['a start that is no time', { quietHoursStart: '8am', quietHoursEnd: '21:00' }, 'quiet_hours_start'],
    ['a start of 24:00', { quietHoursStart: '24:00', quietHoursEnd: '24:00' }, 'quiet_hours_start'],
    ['a start of 9:00', { quietHoursStart: '9:00', quietHoursEnd: '21:00' }, 'quiet_hours_start'],
    ['an end that is no time', { quietHoursStart: '08:00', quietHoursEnd: '21:60' }, 'quiet_hours_end'],
    ['an end past the day', { quietHoursStart: '08:00', quietHoursEnd: '24:00:01' }, 'quiet_hours_end'],
    ['an end equal to the start', { quietHoursStart: '08:00', quietHoursEnd: '08:00:00' }, 'quiet_hours_end'],
    ['an end before the start (no windows across midnight)', { quietHoursStart: '21:00', quietHoursEnd: '08:00' }, 'quiet_hours_end'],
    ['a negative cap', { maxCallsPerNumber: -1, frequencyWindowDays: 1 }, 'max_calls_per_number'],
    ['a cap over 1000', { maxCallsPerNumber: 1001, frequencyWindowDays: 1 }, 'max_calls_per_number'],
    ['a fractional cap', { maxCallsPerNumber: 1.5, frequencyWindowDays: 1 }, 'max_calls_per_number'],
    ['a cap without a window', { maxCallsPerNumber: 3 }, 'frequency_window_days'],
    ['a window of 366 days', { maxCallsPerNumber: 3, frequencyWindowDays: 366 }, 'frequency_window_days'],
    ['a negative window', { frequencyWindowDays: -1 }, 'frequency_window_days'],
    ['a window of 366 days without a cap', { frequencyWindowDays: 366 }, 'frequency_window_days'],
  ])('refuses %s naming %s', (_, patch, field) => {
    const e = errorOf(() => validateTenantPolicy({ ...NONE, ...patch }));
    expect(e.kind).toBe('invalid_argument');
    expect(e.meta.argument).toBe(field);
    expect(e.message.startsWith(field)).toBe(true);
  });
});
