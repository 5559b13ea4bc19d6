import type { Migration } from 'kysely';
import * as m0001 from './0001-tenants-keys-campaigns';
import * as m0002 from './0002-messages-counters-do-not-call';
import * as m0003 from './0003-scheduler';
import * as m0004 from './0004-lean-dispatch';
import * as m0005 from './0005-webhooks';
import * as m0006 from './0006-due-queue';
import * as m0007 from './0007-reserve-in-one-call';

/**
 * Every migration, in order. Landed migrations are never edited: a change is a new file, added
 * here under the next number.
 */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-tenants-keys-campaigns': m0001,
  '0002-messages-counters-do-not-call': m0002,
  '0003-scheduler': m0003,
  '0004-lean-dispatch': m0004,
  '0005-webhooks': m0005,
  '0006-due-queue': m0006,
  '0007-reserve-in-one-call': m0007,
});
