/**
 * Streams rows into `COPY … FROM STDIN` inside a caller's postgres.js transaction: rows are
 * encoded lazily into chunks of about CHUNK_BYTES and written as the connection takes them
 * (backpressure through stream.pipeline), so a million rows never become one string.
 *
 * postgres.js 3.4 loses an error the server reports after the client has sent CopyDone (a
 * foreign key checked at the end of the statement, or a bad row still in the socket buffers):
 * the writable's end never settles and the transaction never rolls back (porsager/postgres#1173,
 * fix proposed in #1183). The error does reach the COPY query's internal `reject`, so it is
 * observed there and raced against the stream; the transaction then fails with the server's own
 * message and postgres.js rolls it back.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import type { CopyTable } from './copy-text.ts';

const CHUNK_BYTES = 256 * 1024;

export async function copyInto<Row>(tx: postgres.TransactionSql, target: CopyTable<Row>, rows: Iterable<Row>): Promise<number> {
  let count = 0;
  function* chunks(): Generator<string> {
    let chunk = '';
    for (const row of rows) {
      chunk += target.line(row);
      count += 1;
      if (chunk.length >= CHUNK_BYTES) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  const query = tx`copy ${tx(target.table)} (${tx([...target.columns])}) from stdin`;
  const serverError = errorOf(query);
  const writable = await query.writable();
  await Promise.race([pipeline(Readable.from(chunks(), { objectMode: false }), writable), serverError]);
  return count;
}

/** Rejects with the error postgres.js hands to the query after it has resolved (see above); never resolves. */
function errorOf(query: object): Promise<never> {
  const failed = new Promise<never>((_resolve, reject) => {
    const original: unknown = Reflect.get(query, 'reject');
    // A version without the field needs no workaround: its stream reports the error itself.
    if (typeof original !== 'function') return;
    Reflect.set(query, 'reject', (error: unknown) => {
      reject(error);
      return Reflect.apply(original, query, [error]) as unknown;
    });
  });
  // Raced later, or never (when the statement itself fails): not an unhandled rejection.
  failed.catch(() => {});
  return failed;
}
