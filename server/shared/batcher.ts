/**
 * Gathers concurrent calls into batches: while a batch is being written, new items wait and go
 * together in the next one, so N concurrent requests cost about one database round trip instead
 * of N, without delaying a lone request (an idle batcher starts at the next turn of the loop).
 */
export class Batcher<I, O> {
  private readonly queue: { item: I; resolve: (value: O) => void; reject: (reason: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  /**
   * @param run writes one batch and returns one result per item, in order
   * @param maxBatch most items in one batch
   * @param maxConcurrent most batches in flight at once
   */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
    private readonly maxConcurrent: number,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxConcurrent) return;
    this.scheduled = true;
    // Let every request that arrived in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxConcurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      this.run(batch.map((entry) => entry.item))
        .then((results) => {
          batch.forEach((entry, i) => {
            if (i < results.length) entry.resolve(results[i] as O);
            else entry.reject(new Error('batch returned fewer results than items'));
          });
        })
        .catch((e: unknown) => batch.forEach((entry) => entry.reject(e)))
        .finally(() => {
          this.inFlight -= 1;
          if (this.queue.length > 0) this.schedule();
        });
    }
  }
}
