/**
 * The child process of the scheduler bench: runs one side (our scheduler, pg-boss or
 * graphile-worker) on its own event loop, so its RSS and CPU are its own and no side shares a
 * process with the bench or with another side. Forked by `scheduler.ts` (`node --import tsx`);
 * the exchange is described in `scheduler-sides.ts`.
 */
import { prepareOutreach } from './scheduler-outreach';
import { prepareGraphile, preparePgBoss } from './scheduler-peers';
import { SIDE_JOB_ENV, type ChildMessage, type ParentMessage, type SideJob } from './scheduler-sides';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new Error('scheduler-child.ts must be forked with an IPC channel'));
      return;
    }
    process.send(message, (e: Error | null) => (e ? reject(e) : resolve()));
  });
}

function waitFor(type: ParentMessage['type']): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: ParentMessage): void => {
      if (m.type !== type) return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
  });
}

async function main(): Promise<void> {
  const raw = process.env[SIDE_JOB_ENV];
  if (raw === undefined) throw new Error(`${SIDE_JOB_ENV} is not set`);
  const job = JSON.parse(raw) as SideJob;
  const prepared =
    job.side === 'outreach' ? await prepareOutreach(job) : job.side === 'pg-boss' ? await preparePgBoss(job) : await prepareGraphile(job);
  try {
    const go = waitFor('go');
    await send({ type: 'ready', details: prepared.details });
    await go;
    const result = await prepared.run();
    // The connections' backends stay until the parent has read the run's CPU: closed during that
    // reading, their time would leave PostgreSQL's share.
    const close = waitFor('close');
    await send({ type: 'done', result });
    await close;
  } finally {
    await prepared.close();
  }
}

main().then(
  () => {
    process.disconnect?.();
    process.exit(0);
  },
  async (e: unknown) => {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    await send({ type: 'failed', error }).catch(() => undefined);
    process.exit(1);
  },
);
