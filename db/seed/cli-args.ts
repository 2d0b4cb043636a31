/**
 * Flags of `npm run seed`, parsed strictly: a typo must stop the run, not seed a default-sized
 * org into the wrong place.
 */
import { parseArgs } from 'node:util';

export const SEED_USAGE = `usage: npm run seed -- [--people N] [--reports M] [--audit-events E] [--seed S] [--depth D] [--out FILE] [--sequence K]

  --people N        people in the generated org (default 1000)
  --reports M       reports to insert (default 10000)
  --audit-events E  audit events to append to the hash chain, spread over the past year (default 0)
  --seed S          integer seed; the same seed gives the same org, reports and events (default 1)
  --depth D         most levels of managers, CEO included (default 12)
  --out FILE        where to write the snapshot JSON (default .data/seed-org.json)
  --sequence K      snapshot sequence (default: one more than the sequence in force)

The database is DATABASE_URL (rows written with COPY), or the embedded PGlite database in
PGLITE_DIR (multi-row INSERTs). The seeded tables are vacuumed and analyzed at the end.
`;

export interface SeedArguments {
  readonly help: boolean;
  readonly people: number;
  readonly reports: number;
  readonly auditEvents: number;
  readonly seed: number;
  readonly depth: number;
  readonly out: string;
  readonly sequence: number | undefined;
}

/** A command line that cannot run; the message says which flag and why. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseSeedArguments(argv: readonly string[]): SeedArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        people: { type: 'string' },
        reports: { type: 'string' },
        'audit-events': { type: 'string' },
        seed: { type: 'string' },
        depth: { type: 'string' },
        out: { type: 'string' },
        sequence: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out: must name a file');
  return {
    help: values.help ?? false,
    people: integerFlag('people', values.people, 1000, 1, 10_000_000),
    reports: integerFlag('reports', values.reports, 10_000, 0, 100_000_000),
    auditEvents: integerFlag('audit-events', values['audit-events'], 0, 0, 100_000_000),
    seed: integerFlag('seed', values.seed, 1, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    depth: integerFlag('depth', values.depth, 12, 2, 100),
    out: values.out ?? '.data/seed-org.json',
    sequence: values.sequence === undefined ? undefined : integerFlag('sequence', values.sequence, 0, 0, Number.MAX_SAFE_INTEGER),
  };
}

export function integerFlag(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  // Digits only: Number() would accept "", "1e3", "0x10" and " 7 ".
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--${name}: expected an integer, got ${JSON.stringify(text)}`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name}: must be between ${min} and ${max}, got ${text}`);
  }
  return value;
}
