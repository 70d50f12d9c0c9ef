/** Groups a stream into arrays of at most `size`, keeping only one partial group in memory. */
export async function* inBatches<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Runs `work` on the items of `source` with at most `concurrency` at once, pulling the next item only
 * when a worker is free, so memory stays bounded by concurrency × item size. The first failure stops
 * the pulling; items already started finish, then that failure is thrown.
 */
export async function forEachConcurrently<T>(
  source: AsyncIterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const it = source[Symbol.asyncIterator]();
  let failure: { err: unknown } | null = null;
  // An async generator queues concurrent next() calls, but a plain iterator need not: pull one at a time.
  let pulling: Promise<unknown> = Promise.resolve();
  const next = () => {
    const p = pulling.then(() => it.next());
    pulling = p.catch(() => undefined);
    return p;
  };
  const worker = async () => {
    while (!failure) {
      let step: IteratorResult<T>;
      try {
        step = await next();
      } catch (err) {
        failure ??= { err };
        return;
      }
      if (step.done || failure) return;
      try {
        await work(step.value);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure) {
    await it.return?.().catch(() => undefined);
    throw (failure as { err: unknown }).err;
  }
}
