import type { Kysely } from 'kysely';
import { reportOutcome } from '../call-events/call-events.service';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { HttpProvider } from '../providers/http-provider';
import type { Provider } from '../providers/provider';
import { SimulatedProvider } from '../providers/simulated-provider';
import { systemClock, type Clock } from '../shared/clock';
import { Scheduler } from './scheduler';

/** The scheduler with its provider, as one process runs them. */
export interface RunningScheduler {
  readonly scheduler: Scheduler;
  readonly provider: Provider;
  stop(): Promise<void>;
}

/**
 * Builds the configured provider (simulated, or http) and the scheduler loop, and starts the loop
 * unless OUTREACH_SCHEDULER_ENABLED=false. The simulated provider reports outcomes through the same
 * function CallEvents.ReportCallOutcome calls; an http provider calls that RPC.
 */
export function startScheduler(
  config: Config,
  db: Kysely<Database>,
  log: Logger,
  clock: Clock = systemClock,
  metrics?: Metrics,
): RunningScheduler {
  const provider: Provider =
    config.httpProvider !== undefined
      ? new HttpProvider({ ...config.httpProvider, tries: 3, retryDelayMs: 500 }, () => clock.now())
      : new SimulatedProvider({
          callSeconds: config.simCallSeconds,
          outcomeByDigit: config.simOutcomes,
          dialLogFile: config.simDialLog,
          report: (report) => reportOutcome({ db, clock, metrics }, report),
          log,
        });
  const scheduler = new Scheduler({
    db,
    clock,
    provider,
    log: log.child({ component: 'scheduler' }),
    metrics,
    options: {
      ...config.scheduler,
      housekeepingIntervalMs: 5_000,
      maxBackoffMs: 30_000,
      concurrencyRetryMs: 1_000,
    },
  });
  if (config.scheduler.enabled) scheduler.start();
  return {
    scheduler,
    provider,
    stop: async () => {
      await scheduler.stop();
      await provider.close();
    },
  };
}
