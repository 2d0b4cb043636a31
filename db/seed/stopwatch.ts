/**
 * Timing for the seed steps. Rows are generated lazily while they are written, so a step's
 * generation time is measured inside the stream (`metered`) and subtracted from the write.
 */

export function stopwatch() {
  let last = performance.now();
  return {
    /** Milliseconds since the previous lap (or the start). */
    lap(): number {
      const current = performance.now();
      const elapsed = current - last;
      last = current;
      return elapsed;
    },
  };
}

export interface Meter {
  /** Milliseconds spent producing items so far. */
  ms: number;
}

/** The items of `source`, adding the time spent producing each to `meter`. */
export function* metered<T>(source: Iterable<T>, meter: Meter): Generator<T> {
  const iterator = source[Symbol.iterator]();
  for (;;) {
    const started = performance.now();
    const next = iterator.next();
    meter.ms += performance.now() - started;
    if (next.done) return;
    yield next.value;
  }
}
