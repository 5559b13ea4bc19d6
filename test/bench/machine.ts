/**
 * Where the CPU and memory go (Linux /proc and ps): the service's process group, our PostgreSQL's
 * processes, this process (the load generator), and the whole machine.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** USER_HZ on Linux: /proc reports CPU time in these ticks per second. */
const TICK = 100;

/** What each side used over one interval. */
export interface CpuSplit {
  /** Share of ONE core each used on average over the interval (1.0 = one full core). */
  readonly service: number;
  readonly postgres: number | undefined;
  readonly benchProcess: number;
  /** Commands the bench ran that ended within the interval (pgbench, psql). */
  readonly benchCommands: number;
  /** Everything else on the machine (other users of this shared box, the kernel). */
  readonly other: number;
  readonly machineBusy: number;
  readonly cores: number;
}

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  /** utime + stime. */
  readonly ticks: number;
  /** cutime + cstime: children it has reaped (the postmaster reaps exited backends). */
  readonly childTicks: number;
}

/** CPU ticks so far, per pid, of the processes a probe watches. */
interface Snapshot {
  readonly service: Map<number, number>;
  readonly postgres: Map<number, number>;
  /** This process's reaped children (the commands it ran). */
  readonly commands: number;
}

/** Starts a CPU sample; the returned function ends it. */
export function cpuProbe(servicePgid: number | undefined, postmasterPid: number | undefined): () => CpuSplit {
  const start = snapshot(readProcStats(), servicePgid, postmasterPid);
  const startMachine = machineTicks();
  const startSelf = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const end = snapshot(readProcStats(), servicePgid, postmasterPid);
    const endMachine = machineTicks();
    const self = process.cpuUsage(startSelf);
    const seconds = (performance.now() - t0) / 1000;
    const cores = os.cpus().length;
    const service = diff(start.service, end.service) / TICK / seconds;
    const postgres = postmasterPid === undefined ? undefined : diff(start.postgres, end.postgres) / TICK / seconds;
    const benchProcess = (self.user + self.system) / 1e6 / seconds;
    const benchCommands = (end.commands - start.commands) / TICK / seconds;
    const totalTicks = endMachine.total - startMachine.total;
    const machineBusy = totalTicks > 0 ? ((endMachine.busy - startMachine.busy) / totalTicks) * cores : Number.NaN;
    return {
      service,
      postgres,
      benchProcess,
      benchCommands,
      other: Math.max(0, machineBusy - service - (postgres ?? 0) - benchProcess - benchCommands),
      machineBusy,
      cores,
    };
  };
}

/** One line for the notes under the table. */
export function describeCpu(split: CpuSplit): string {
  const pct = (v: number): string => `${Math.round(v * 100)} %`;
  return (
    `CPU (100 % = one core, ${split.cores} cores): service ${pct(split.service)}, ` +
    `postgres ${split.postgres === undefined ? 'n/a (external)' : pct(split.postgres)}, ` +
    `bench process ${pct(split.benchProcess)}, pgbench/psql ${pct(split.benchCommands)}, ` +
    `others on the machine ${pct(split.other)}; machine busy ${pct(split.machineBusy)}`
  );
}

/** Resident set size in MB, summed over a process group (via `ps`), or undefined. */
export function groupRssMb(pgid: number): number | undefined {
  const ps = spawnSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
  if (ps.status !== 0) return undefined;
  const kb = ps.stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isFinite(n) && n > 0)
    .reduce((a, b) => a + b, 0);
  return kb > 0 ? kb / 1024 : undefined;
}

function snapshot(stats: readonly ProcStat[], servicePgid: number | undefined, postmasterPid: number | undefined): Snapshot {
  const service = new Map<number, number>();
  const postgres = new Map<number, number>();
  let commands = 0;
  for (const s of stats) {
    if (servicePgid !== undefined && s.pgrp === servicePgid) service.set(s.pid, s.ticks);
    // Backends that exited in between are in the postmaster's reaped-children time.
    if (s.pid === postmasterPid) postgres.set(s.pid, s.ticks + s.childTicks);
    else if (postmasterPid !== undefined && s.ppid === postmasterPid) postgres.set(s.pid, s.ticks);
    if (s.pid === process.pid) commands = s.childTicks;
  }
  return { service, postgres, commands };
}

/** Ticks used between two snapshots by the processes alive at the second. */
function diff(a: Map<number, number>, b: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ticks] of b) sum += ticks - (a.get(pid) ?? 0);
  return sum;
}

function readProcStats(): ProcStat[] {
  const out: ProcStat[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const raw = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces; the fields after it are space-separated.
      const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      out.push({
        pid: Number(name),
        ppid: Number(rest[1]),
        pgrp: Number(rest[2]),
        ticks: Number(rest[11]) + Number(rest[12]),
        childTicks: Number(rest[13]) + Number(rest[14]),
      });
    } catch {
      // It exited while we looked.
    }
  }
  return out;
}

function machineTicks(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}
