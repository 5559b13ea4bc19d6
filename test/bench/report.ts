import os from 'node:os';

/** A measured figure, with the baseline it is compared against (measured in the same run). */
export interface Figure {
  /** Stable key, e.g. `sendmessage.throughput`. */
  readonly key: string;
  /** What a reader sees in the table. */
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: Baseline;
  /** value ÷ baseline.value. */
  readonly ratio?: number;
  /** What the design asks of the figure, when it asks something. */
  readonly target?: Target;
  readonly pass?: boolean;
}

/**
 * A ratio to the baseline, or, where DESIGN.md states a figure absolutely ("< 50 ms, exact"), a
 * ceiling on the value in its own unit and any further condition it names (`requires`).
 */
export type Target =
  | { readonly ratioAtLeast: number }
  | { readonly below: number; readonly unit: string; readonly requires?: string };

/** What a figure is compared against, and how it was measured. */
export interface Baseline {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** How it was measured (the command, or the fallback used and why). */
  readonly method: string;
}

/** What one bench returns to the runner. */
export interface BenchResult {
  readonly name: string;
  readonly figures: readonly Figure[];
  /** Extra facts worth printing (errors seen, row counts checked, settings). */
  readonly notes: readonly string[];
}

/** A figure with its ratio to the baseline and, when a target ratio is given, whether it passes. */
export function figure(
  key: string,
  label: string,
  value: number,
  unit: string,
  baseline?: Baseline,
  targetRatio?: number,
): Figure {
  const ratio = baseline !== undefined && baseline.value > 0 && Number.isFinite(value) ? value / baseline.value : undefined;
  return {
    key,
    label,
    value,
    unit,
    ...(baseline === undefined ? {} : { baseline }),
    ...(ratio === undefined ? {} : { ratio }),
    ...(targetRatio === undefined ? {} : { target: { ratioAtLeast: targetRatio }, pass: ratio !== undefined && ratio >= targetRatio }),
  };
}

/**
 * A figure judged against an absolute ceiling rather than a ratio; the baseline is still shown
 * beside it. With a `requirement` (e.g. exactness), the figure passes only when that holds too.
 */
export function figureBelow(
  key: string,
  label: string,
  value: number,
  unit: string,
  baseline: Baseline | undefined,
  below: number,
  requirement?: { readonly label: string; readonly holds: boolean },
): Figure {
  return {
    ...figure(key, label, value, unit, baseline),
    target: { below, unit, ...(requirement === undefined ? {} : { requires: requirement.label }) },
    pass: Number.isFinite(value) && value < below && (requirement?.holds ?? true),
  };
}

function formatTarget(target: Target): string {
  if ('ratioAtLeast' in target) return `≥ ${(target.ratioAtLeast * 100).toFixed(0)} %`;
  return `< ${target.below} ${target.unit}${target.requires === undefined ? '' : `, ${target.requires}`}`;
}

function formatRatio(ratio: number, unit: string): string {
  // Throughput as a share of the baseline; latency as a multiple of it (lower is better).
  if (unit !== 'ms') return `${(ratio * 100).toFixed(1)} %`;
  return `${ratio < 0.1 ? ratio.toPrecision(2) : ratio.toFixed(2)}×`;
}

function formatNumber(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = unit === 'ms' ? (value < 10 ? 2 : 1) : value >= 100 ? 0 : 1;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

/** The human-readable table of every figure. */
export function renderTable(results: readonly BenchResult[]): string {
  const header = ['figure', 'value', 'baseline', 'ratio', 'target', 'result'];
  const rows: string[][] = [];
  for (const r of results) {
    for (const f of r.figures) {
      rows.push([
        f.label,
        formatNumber(f.value, f.unit),
        f.baseline === undefined ? '—' : `${formatNumber(f.baseline.value, f.baseline.unit)} (${f.baseline.label})`,
        f.ratio === undefined ? '—' : formatRatio(f.ratio, f.unit),
        f.target === undefined ? '—' : formatTarget(f.target),
        f.pass === undefined ? '—' : f.pass ? 'PASS' : 'FAIL',
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  return out.join('\n');
}

/** The notes under the table: each baseline's method, then each bench's notes. */
export function renderNotes(results: readonly BenchResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    const methods = new Set(r.figures.flatMap((f) => (f.baseline === undefined ? [] : [`${f.baseline.label}: ${f.baseline.method}`])));
    for (const m of methods) out.push(`- [${r.name}] baseline ${m}`);
    for (const n of r.notes) out.push(`- [${r.name}] ${n}`);
  }
  return out.join('\n');
}

/** The `--json` line: every figure with its baseline and ratio, plus where it ran. */
export function jsonSummary(results: readonly BenchResult[], context: Record<string, unknown>): string {
  const figures: Record<string, unknown> = {};
  for (const r of results) {
    for (const f of r.figures) {
      figures[f.key] = {
        label: f.label,
        value: round(f.value),
        unit: f.unit,
        baseline: f.baseline === undefined ? null : { ...f.baseline, value: round(f.baseline.value) },
        ratio: f.ratio === undefined ? null : round(f.ratio, 4),
        target: f.target ?? null,
        pass: f.pass ?? null,
      };
    }
  }
  const judged = results.flatMap((r) => r.figures).filter((f) => f.pass !== undefined);
  return JSON.stringify({
    bench: 'outreach',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
    ...context,
    benches: results.map((r) => r.name),
    figures,
    notes: Object.fromEntries(results.map((r) => [r.name, r.notes])),
    pass: judged.length > 0 && judged.every((f) => f.pass === true),
  });
}

function round(value: number, digits = 2): number | null {
  if (!Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
