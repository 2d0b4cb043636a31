/**
 * A value read in the background at a fixed interval, for readings that scrapes and probes
 * ask for often but that cost a database round trip (org data age): a scrape storm costs no
 * query, and a failing read keeps the last good value.
 */
export interface Refreshing<T> {
  /** The last value read, or undefined before the first successful read. */
  current(): T | undefined;
  /** Reads now (joining a read in flight). */
  refresh(): Promise<T | undefined>;
  stop(): void;
}

export function refreshing<T>(read: () => Promise<T | undefined>, intervalMs: number, onError?: (error: unknown) => void): Refreshing<T> {
  let value: T | undefined;
  let inFlight: Promise<T | undefined> | undefined;
  const refresh = () =>
    (inFlight ??= read()
      .then(
        (next) => (value = next),
        (error: unknown) => {
          onError?.(error);
          return value;
        },
      )
      .finally(() => (inFlight = undefined)));
  const timer = setInterval(() => void refresh(), intervalMs);
  timer.unref();
  void refresh();
  return { current: () => value, refresh, stop: () => clearInterval(timer) };
}
