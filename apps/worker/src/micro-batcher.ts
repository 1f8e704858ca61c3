/**
 * Collects single items into batches: flushes when `maxSize` items wait or `maxWaitMs` after the first
 * one arrived. Each caller gets its own result back. Lets a BullMQ worker with concurrency N run one
 * model call for up to N crops.
 */
export class MicroBatcher<I, O> {
  private pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxSize: number,
    private readonly maxWaitMs: number,
  ) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending.splice(0, this.maxSize);
    if (batch.length === 0) return;
    this.run(batch.map((b) => b.item)).then(
      (outputs) => {
        if (outputs.length !== batch.length) {
          const error = new Error(`batch returned ${outputs.length} results for ${batch.length} items`);
          batch.forEach((b) => b.reject(error));
        } else batch.forEach((b, i) => b.resolve(outputs[i]!));
      },
      (error: unknown) => batch.forEach((b) => b.reject(error)),
    );
    if (this.pending.length > 0) this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
  }
}
