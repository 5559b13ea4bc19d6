import type { Cleanup } from './cleanup';
import type { BenchDatabase } from './database';
import type { ServiceProcess } from './service-process';

/** The knobs of a run, from the command line. */
export interface BenchSettings {
  /** Concurrent connections (SendMessage) and pgbench clients. */
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  /** Rows in one AddRecipients request. */
  readonly recipientRows: number;
  /** Timed AddRecipients requests (and as many raw inserts); the median is reported. */
  readonly repeats: number;
  /**
   * SendMessage: the timed duration is split into this many rounds of each phase, run
   * baseline-service then service-baseline (ABBA…), so a drift in machine load cancels out.
   */
  readonly rounds: number;
  /** Messages in the campaign GetCampaignStats is measured on. */
  readonly statsMessages: number;
  /** Due messages the scheduler dispatches per run (and jobs each peer works). */
  readonly schedulerMessages: number;
  /** Not-yet-due messages in the scheduler's campaign for the backlog runs. */
  readonly backlog: number;
  /** Schedulers side by side in the scheduler's process, each on a pool of its own. */
  readonly schedulers: number;
  /** The scheduler's claimBatch (and perCampaign). */
  readonly claimBatch: number;
  /** Due messages of the whole campaign the scheduler dispatches while its RSS is watched (0: skip). */
  readonly rssMessages: number;
  /** Events the webhooks bench delivers. */
  readonly webhookEvents: number;
}

/** What every bench gets from the runner. */
export interface BenchContext {
  readonly cleanup: Cleanup;
  readonly db: BenchDatabase;
  readonly service: ServiceProcess;
  readonly tenantId: string;
  readonly apiKey: string;
  /** A temp folder of the run's own, removed at the end. */
  readonly tmpDir: string;
  readonly settings: BenchSettings;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
}
