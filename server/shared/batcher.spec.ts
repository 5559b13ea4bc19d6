import { Batcher } from './batcher';

describe('Batcher', () => {
  it('puts items submitted together into one batch and answers each in order', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      batches.push(items);
      return items.map((n) => n * 10);
    }, 100, 1);
    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('queues items that arrive while a batch is in flight for the next one, up to maxBatch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new Batcher<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate;
      return items;
    }, 2, 1);
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4].map((n) => batcher.submit(n));
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('rejects every item of a failed batch and keeps serving', async () => {
    let fail = true;
    const batcher = new Batcher<number, number>(async (items) => {
      if (fail) throw new Error('boom');
      return items;
    }, 10, 1);
    await expect(Promise.all([batcher.submit(1), batcher.submit(2)])).rejects.toThrow('boom');
    fail = false;
    await expect(batcher.submit(3)).resolves.toBe(3);
  });
});
