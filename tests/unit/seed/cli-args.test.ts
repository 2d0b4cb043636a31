import { describe, expect, it } from 'vitest';
import { parseSeedArguments, UsageError } from '../../../db/seed/cli-args.ts';

describe('parseSeedArguments', () => {
  it('applies defaults', () => {
    expect(parseSeedArguments([])).toEqual({
      help: false,
      people: 1000,
      reports: 10_000,
      auditEvents: 0,
      seed: 1,
      depth: 12,
      out: '.data/seed-org.json',
      sequence: undefined,
    });
  });

  it('reads every flag, both --flag value and --flag=value', () => {
    expect(
      parseSeedArguments(['--people', '50000', '--reports=100000', '--audit-events', '2000000', '--seed=-7', '--depth', '8', '--out', 'x.json', '--sequence', '3']),
    ).toEqual({ help: false, people: 50_000, reports: 100_000, auditEvents: 2_000_000, seed: -7, depth: 8, out: 'x.json', sequence: 3 });
    expect(parseSeedArguments(['-h']).help).toBe(true);
  });

  it.each([
    [['--people', 'many'], /--people: expected an integer/],
    [['--people', '0'], /--people: must be between 1/],
    [['--reports', '1e3'], /--reports: expected an integer/],
    [['--audit-events', '2M'], /--audit-events: expected an integer/],
    [['--audit-events=-5'], /--audit-events: must be between 0/],
    [['--audit-events', '100000001'], /--audit-events: must be between 0 and 100000000/],
    [['--seed', '1.5'], /--seed: expected an integer/],
    [['--sequence=-1'], /--sequence: must be between 0/],
    [['--depth', '1'], /--depth: must be between 2/],
    [['--out', ''], /--out: must name a file/],
    [['--peeple', '5'], /Unknown option '--peeple'/],
    [['50'], /positional/],
    [['--people'], /argument missing/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSeedArguments(argv)).toThrow(UsageError);
    expect(() => parseSeedArguments(argv)).toThrow(message);
  });
});
