import { sql } from 'kysely';
import { numberArray, textArray, timestampArray } from '../server/db/pg-array';
import { createTestDatabase, type TestDatabase } from './support/database';

/** The array literals the hot statements send read back in PostgreSQL as the values they were built from. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 1 });
});
afterAll(async () => {
  await database.drop();
});

it('text: any character, the empty string, the word NULL and a real null', async () => {
  const values = ['plain', '', 'NULL', 'null', 'a,b', '{braces}', ' spaced ', 'quote"inside', 'back\\slash', '\\"both\\"', 'ünïcödé ☎', "it's", null];
  const result = await sql<{ a: (string | null)[] }>`select ${textArray(values)}::text[] as a`.execute(database.db);
  expect(result.rows[0]?.a).toEqual(values);
});

it('uuids, numbers and instants', async () => {
  const ids = ['0190b7a2-7c3e-7000-8000-000000000001', '0190b7a2-7c3e-7000-8000-000000000002'];
  const instants = [new Date('2026-03-08T06:59:59.999Z'), new Date('2026-03-08T06:59:59.999Z'), new Date('1999-12-31T23:00:00.000Z')];
  const result = await sql<{ u: string[]; n: number[]; t: Date[] }>`
    select ${textArray(ids)}::uuid[] as u, ${numberArray([0, -7, 2147483647])}::int[] as n,
      ${timestampArray(instants)}::timestamptz[] as t`.execute(database.db);
  expect(result.rows[0]).toEqual({ u: ids, n: [0, -7, 2147483647], t: instants });
  expect(() => numberArray([1, Number.NaN])).toThrow(RangeError);
});
