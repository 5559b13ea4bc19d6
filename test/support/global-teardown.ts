import { promises as fs } from 'node:fs';
import pg from 'pg';

/** Drops the template, stops the embedded PostgreSQL and removes its folder. */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__outreachTest;
  if (state === undefined) return;
  const admin = new pg.Client({ connectionString: state.adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${state.template}" with (force)`);
  } finally {
    await admin.end();
  }
  await state.embedded?.stop();
  if (state.dataDir !== undefined) await fs.rm(state.dataDir, { recursive: true, force: true });
}
