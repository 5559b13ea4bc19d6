/** One sample of a scrape. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A scrape, parsed: its samples and each family's `# TYPE` and `# HELP`. */
export interface Scrape {
  readonly samples: readonly Sample[];
  readonly types: ReadonlyMap<string, string>;
  readonly helps: ReadonlyMap<string, string>;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;
const TYPES = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

/**
 * Parses the Prometheus text exposition format (0.0.4), strictly: a line that is not a comment,
 * `# HELP`, `# TYPE` or a well-formed sample throws, naming the line.
 */
export function parseExposition(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const [, kind, name = '', rest = ''] = meta;
      if (kind === 'TYPE' && !TYPES.includes(rest)) throw new Error(`unknown metric type: ${line}`);
      (kind === 'TYPE' ? types : helps).set(name, rest);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const [, name = '', labelText = '', rawValue = ''] = match;
    samples.push({ name, labels: parseLabels(labelText, line), value: parseValue(rawValue, line) });
  }
  return { samples, types, helps };
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (match === null) throw new Error(`bad labels: ${line}`);
    labels[match[1] ?? ''] = (match[2] ?? '').replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

/** A sample value as Prometheus reads it (Go's ParseFloat: `NaN` and `Inf` in any letter case). */
function parseValue(raw: string, line: string): number {
  const word = raw.toLowerCase();
  if (word === '+inf' || word === 'inf') return Infinity;
  if (word === '-inf') return -Infinity;
  if (word === 'nan') return NaN;
  const value = Number(raw);
  if (raw === '' || Number.isNaN(value)) throw new Error(`bad value: ${line}`);
  return value;
}

/** The value of the sample with exactly these labels; 0 when there is none (a counter not yet moved). */
export function valueOf(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels);
  const sample = scrape.samples.find(
    (s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([k, v]) => s.labels[k] === v),
  );
  return sample?.value ?? 0;
}

/** The sum of a metric's samples over every label set. */
export function totalOf(scrape: Scrape, name: string): number {
  return scrape.samples.filter((s) => s.name === name).reduce((sum, s) => sum + s.value, 0);
}
