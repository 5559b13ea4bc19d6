import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../server/db/database';
import { phone, sendBody } from './message-fixtures';
import { rpc } from './rpc';

/** One SendMessage answer under load, with the phase of the fault it was sent in. */
export interface LoadAnswer {
  readonly status: number;
  readonly code: string | undefined;
  readonly messageId: string | undefined;
  readonly ms: number;
  readonly phase: string;
}

/**
 * SendMessage from `clients` concurrent clients, each sending as soon as its last answer came,
 * until `stop()`; every answer is kept with the phase (`setPhase`) it was sent in.
 */
export function startSendLoad(target: { url: string; apiKey: string; campaignId: string; clients: number }) {
  let phase = 'before';
  let next = 0;
  let running = true;
  const answers: LoadAnswer[] = [];
  const client = async (): Promise<void> => {
    while (running) {
      const t0 = performance.now();
      const at = phase;
      const res = await rpc(target.url, 'Campaign', 'SendMessage', sendBody(target.campaignId, phone(next++, 5)), { key: target.apiKey });
      answers.push({ status: res.status, code: res.body?.code, messageId: res.body?.message_id, ms: performance.now() - t0, phase: at });
    }
  };
  const clients = Array.from({ length: target.clients }, client);
  return {
    setPhase: (p: string) => void (phase = p),
    stop: async (): Promise<LoadAnswer[]> => {
      running = false;
      await Promise.all(clients);
      return answers;
    },
  };
}

/**
 * What every outage test asks of the answers: each failure a 503 `unavailable` (and some there
 * were), none slower than `maxMs`, the last ones after the fault all 200, and every message
 * answered 200 stored. Returns the worst latency seen.
 */
export async function expectOutageHandled(answers: readonly LoadAnswer[], db: Kysely<Database>, maxMs = 5_000): Promise<number> {
  const failures = answers.filter((a) => a.status !== 200);
  expect([...new Set(failures.map((a) => `${a.status} ${a.code}`))]).toEqual(['503 unavailable']);
  const worst = Math.max(...answers.map((a) => a.ms));
  expect(worst).toBeLessThan(maxMs);
  const late = answers.filter((a) => a.phase === 'after').slice(-20);
  expect(late.length).toBeGreaterThan(0);
  expect(late.every((a) => a.status === 200)).toBe(true);
  const answered = answers.filter((a) => a.status === 200).map((a) => a.messageId as string);
  const stored = await sql<{ id: string }>`select id from messages where id = any(${answered}::uuid[])`.execute(db);
  expect(stored.rows.length).toBe(answered.length);
  return worst;
}
