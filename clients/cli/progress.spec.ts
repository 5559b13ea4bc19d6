import { etaSeconds, formatDuration, formatProgressLine, ProgressReporter, ratePerSecond, renderBar } from './progress';

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [9.6, '0:10'],
    [65, '1:05'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
    [undefined, '--:--'],
    [Number.POSITIVE_INFINITY, '--:--'],
    [-1, '--:--'],
  ])('%p seconds → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('rate and ETA', () => {
  it('rate is units per second since the start', () => {
    expect(ratePerSecond(50_000, 2_000)).toBe(25_000);
    expect(ratePerSecond(10, 0)).toBe(0);
  });

  it('ETA is what is left at the rate so far; unknown without a total or a rate', () => {
    expect(etaSeconds({ done: 250_000, total: 1_000_000, elapsedMs: 10_000, unit: 'rows' })).toBe(30);
    expect(etaSeconds({ done: 0, total: 1_000_000, elapsedMs: 10_000, unit: 'rows' })).toBeUndefined();
    expect(etaSeconds({ done: 10, total: undefined, elapsedMs: 10_000, unit: 'rows' })).toBeUndefined();
    expect(etaSeconds({ done: 120, total: 100, elapsedMs: 1_000, unit: 'rows' })).toBe(0);
  });
});

describe('formatProgressLine', () => {
  it('with a total: bar, percent, counts, rate, ETA', () => {
    expect(formatProgressLine({ done: 412_000, total: 1_000_000, elapsedMs: 8_000, unit: 'rows' })).toBe(
      '[##########..............]  41%  412,000/1,000,000 rows  51,500 rows/s  ETA 0:11',
    );
  });

  it('without a total: counts, rate and elapsed time', () => {
    expect(formatProgressLine({ done: 30_000, total: undefined, elapsedMs: 3_000, unit: 'rows' })).toBe('30,000 rows  10,000 rows/s  0:03 elapsed');
  });

  it('the bar stays in bounds', () => {
    expect(renderBar(1.7, 4)).toBe('[####]');
    expect(renderBar(-1, 4)).toBe('[....]');
    expect(renderBar(Number.NaN, 4)).toBe('[....]');
  });
});

describe('ProgressReporter', () => {
  const sink = (isTTY: boolean): { text: string; isTTY: boolean; columns: number; write(t: string): void } => ({
    text: '',
    isTTY,
    columns: 40,
    write(t: string) {
      this.text += t;
    },
  });

  it('on a terminal redraws one line in place, at most every 100 ms', () => {
    let now = 0;
    const out = sink(true);
    const reporter = new ProgressReporter(out, () => now);
    reporter.update('a');
    now = 50;
    reporter.update('b');
    now = 150;
    reporter.update('c');
    reporter.finish('d');
    expect(out.text).toBe('\ra\x1b[K\rc\x1b[K\rd\x1b[K\n');
  });

  it('elsewhere writes a full line every interval', () => {
    let now = 0;
    const out = sink(false);
    const reporter = new ProgressReporter(out, () => now, 5_000);
    reporter.update('a');
    now = 4_000;
    reporter.update('b');
    now = 5_000;
    reporter.update('c');
    now = 9_000;
    reporter.update('d');
    reporter.note('warning: w');
    reporter.finish('e');
    expect(out.text).toBe('c\nwarning: w\ne\n');
  });

  it('a note on a terminal clears the progress line first and cuts long lines to the width', () => {
    const out = sink(true);
    const reporter = new ProgressReporter(out, () => 0);
    reporter.update('x'.repeat(100));
    reporter.note('warning: w');
    expect(out.text).toBe(`\r${'x'.repeat(39)}\x1b[K\r\x1b[Kwarning: w\n`);
  });
});
