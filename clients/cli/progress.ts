import { formatCount } from './output';

/** How far a piece of work is, at one instant. */
export interface ProgressState {
  readonly done: number;
  /** The total when known (or estimated); undefined when not. */
  readonly total: number | undefined;
  readonly elapsedMs: number;
  /** What is counted, plural: `rows`, `messages`. */
  readonly unit: string;
}

const BAR_WIDTH = 24;

/** `h:mm:ss` or `m:ss`; `--:--` when unknown or absurd. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0 || seconds > 99 * 3600) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Units per second since the start; 0 before any time has passed. */
export function ratePerSecond(done: number, elapsedMs: number): number {
  return elapsedMs <= 0 ? 0 : (done * 1000) / elapsedMs;
}

/** Seconds left at the rate so far; undefined while the rate or total is unknown. */
export function etaSeconds(state: ProgressState): number | undefined {
  const rate = ratePerSecond(state.done, state.elapsedMs);
  if (state.total === undefined || rate <= 0) return undefined;
  return Math.max(0, state.total - state.done) / rate;
}

/** A fixed-width bar, `#` for done and `.` for the rest. */
export function renderBar(fraction: number, width: number = BAR_WIDTH): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/**
 * One progress line: bar, percentage, done/total, rate and ETA when the total is known; done,
 * rate and elapsed time when it is not.
 */
export function formatProgressLine(state: ProgressState): string {
  const rate = `${formatCount(ratePerSecond(state.done, state.elapsedMs))} ${state.unit}/s`;
  if (state.total === undefined || state.total <= 0) {
    return `${formatCount(state.done)} ${state.unit}  ${rate}  ${formatDuration(state.elapsedMs / 1000)} elapsed`;
  }
  const fraction = state.done / state.total;
  const percent = `${Math.floor(Math.min(1, fraction) * 100)}%`.padStart(4);
  const counts = `${formatCount(state.done)}/${formatCount(state.total)} ${state.unit}`;
  return `${renderBar(fraction)} ${percent}  ${counts}  ${rate}  ETA ${formatDuration(etaSeconds(state))}`;
}

/** Where progress is drawn: a stream, whether it is a terminal, and its width. */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Draws progress on stderr: on a terminal, one line redrawn in place with `\r` (at most every
 * 100 ms); otherwise, as in a log or a pipe, a full line every few seconds.
 */
export class ProgressReporter {
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private readonly tty: boolean;

  constructor(
    private readonly sink: ProgressSink,
    private readonly now: () => number = Date.now,
    private readonly lineIntervalMs = 5_000,
  ) {
    this.tty = sink.isTTY === true;
    // In a log, the first line comes after one interval: work that ends sooner prints only its last.
    if (!this.tty) this.lastDrawAt = now();
  }

  /** Draws `line` if enough time has passed since the last drawing (or when `force`). */
  update(line: string, force = false): void {
    const at = this.now();
    if (!force && at - this.lastDrawAt < (this.tty ? 100 : this.lineIntervalMs)) return;
    this.lastDrawAt = at;
    this.drawn = true;
    if (this.tty) {
      // A pseudo-terminal may report 0 columns: then do not cut at all.
      const columns = this.sink.columns ?? 0;
      const width = columns > 0 ? Math.max(20, columns - 1) : line.length;
      this.sink.write(`\r${line.slice(0, width)}\x1b[K`);
    } else {
      this.sink.write(`${line}\n`);
    }
  }

  /** Prints a line of its own (a warning) without garbling the progress line, which is redrawn after it. */
  note(text: string): void {
    if (this.tty && this.drawn) {
      this.sink.write(`\r\x1b[K${text}\n`);
      this.drawn = false;
      this.lastDrawAt = Number.NEGATIVE_INFINITY;
    } else {
      this.sink.write(`${text}\n`);
    }
  }

  /** Draws the last state and ends the line, so what follows starts on a fresh one. */
  finish(line: string): void {
    this.update(line, true);
    if (this.tty && this.drawn) this.sink.write('\n');
  }
}
