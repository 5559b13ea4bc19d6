import type { Kysely } from 'kysely';
import { createProfile } from '../../server/business-hours/business-hours.service';
import type { Database } from '../../server/db/database';
import { rpc, type RpcOptions, type RpcResponse } from './rpc';

/** A weekday 09:00–17:00 profile body, as a client sends it (proto field names, short enum words). */
export function officeHoursBody(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    timezone: 'Europe/London',
    intervals: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'].map((day) => ({
      day,
      start_time: '09:00',
      end_time: '17:00',
    })),
    holidays: ['2026-12-25'],
    ...overrides,
  };
}

/** Inserts a profile straight through the service (setup only); answers its id. */
export async function insertProfile(db: Kysely<Database>, tenantId: string, name: string): Promise<string> {
  const profile = await createProfile(db, tenantId, {
    name,
    timezone: 'Europe/London',
    intervals: [{ day: 'MONDAY', start: '09:00', end: '17:00' }],
    holidays: [],
  });
  return profile.id;
}

/** The BusinessHours service of one tenant, over real HTTP. */
export type BusinessHoursCall = (method: string, body: unknown, options?: Omit<RpcOptions, 'key'>) => Promise<RpcResponse>;

export function businessHoursCaller(baseUrl: string, apiKey: string): BusinessHoursCall {
  return (method, body, options = {}) => rpc(baseUrl, 'BusinessHours', method, body, { ...options, key: apiKey });
}

/** Calls an RPC and fails the test unless the answer is 200; answers the body. */
export async function okBody(call: BusinessHoursCall, method: string, body: unknown): Promise<any> {
  const res = await call(method, body);
  expect({ method, status: res.status, body: res.body }).toEqual({ method, status: 200, body: expect.any(Object) });
  return res.body;
}
