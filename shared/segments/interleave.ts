/** Several async sources read side by side, their items yielded as each arrives. */

/**
 * Yields the items of every source as they come, keeping one read in flight per source, so that
 * slow sources (parallel scan segments) overlap. Stopping early, or one source failing, closes
 * the others.
 */
export async function* interleave<T>(sources: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const read = (iterator: AsyncIterator<T>) => iterator.next().then((result) => ({ iterator, result }));
  const pending = new Map(iterators.map((iterator) => [iterator, read(iterator)]));
  try {
    while (pending.size > 0) {
      const { iterator, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(iterator);
        continue;
      }
      pending.set(iterator, read(iterator));
      yield result.value;
    }
  } finally {
    // Waits for reads in flight: a source left mid-request would otherwise finish unobserved.
    await Promise.allSettled(iterators.map((iterator) => iterator.return?.()));
  }
}
