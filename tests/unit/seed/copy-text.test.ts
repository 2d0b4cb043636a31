import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { arrayLiteral, copyTable, copyText, COPY_NULL, json, nullable, textArray, timestamp, type CopyLayout } from '../../../db/seed/copy-text.ts';
import { AUDIT_EVENTS_COPY } from '../../../db/seed/audit-writers.ts';
import { REPORTS_COPY } from '../../../db/seed/report-writers.ts';
import { auditEvents, reports } from '../../../db/schema.ts';
import type { SeedReportRow } from '../../../db/seed/reports.ts';

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return, and nothing else', () => {
    expect(copyText('plain text, "quoted" {braces} \'single\' é 漢字 🚀')).toBe('plain text, "quoted" {braces} \'single\' é 漢字 🚀');
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    // A value that reads like the NULL marker or the end-of-data marker stays data.
    expect(copyText('\\N')).toBe('\\\\N');
    expect(copyText('\\.')).toBe('\\\\.');
    expect(copyText('')).toBe('');
  });

  it('refuses NUL, which no PostgreSQL text can hold', () => {
    expect(() => copyText('a\0b')).toThrow(/NUL/);
  });

  it('writes arrays as literals with every element quoted', () => {
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral(['a', 'b c'])).toBe('{"a","b c"}');
    expect(arrayLiteral(['', 'NULL', 'null'])).toBe('{"","NULL","null"}');
    expect(arrayLiteral(['say "hi"', 'back\\slash', 'a,b', '{x}', ' padded '])).toBe('{"say \\"hi\\"","back\\\\slash","a,b","{x}"," padded "}');
    // Then escaped as text: each backslash of the literal is doubled once more, tabs become \t.
    expect(textArray(['back\\slash', 'tab\there'])).toBe('{"back\\\\\\\\slash","tab\\there"}');
  });

  it('writes NULL as \\N, timestamps in ISO 8601, JSON escaped as text', () => {
    expect(nullable(copyText)(null)).toBe(COPY_NULL);
    expect(COPY_NULL).toBe('\\N');
    expect(timestamp(new Date('2026-11-20T06:00:00.123Z'))).toBe('2026-11-20T06:00:00.123Z');
    expect(() => timestamp(new Date('nope'))).toThrow(/invalid Date/);
    expect(json({ note: 'line\nbreak', path: 'C:\\x' })).toBe('{"note":"line\\\\nbreak","path":"C:\\\\\\\\x"}');
  });

  it('lays out every column of the schema, named as in the schema', () => {
    const names = (table: typeof reports | typeof auditEvents) => Object.values(getTableColumns(table)).map((column) => column.name).sort();
    expect(REPORTS_COPY.table).toBe('reports');
    expect([...REPORTS_COPY.columns].sort()).toEqual(names(reports));
    expect(AUDIT_EVENTS_COPY.table).toBe('audit_events');
    expect([...AUDIT_EVENTS_COPY.columns].sort()).toEqual(names(auditEvents));
  });

  it('refuses a layout that misses a column, and a row that misses a value', () => {
    const layout = Object.fromEntries(Object.keys(getTableColumns(reports)).filter((key) => key !== 'reviewNote').map((key) => [key, copyText]));
    expect(() => copyTable(reports, layout as unknown as CopyLayout<SeedReportRow>)).toThrow('the COPY layout of reports misses reviewNote');
    expect(() => REPORTS_COPY.line({ title: 'x' } as unknown as SeedReportRow)).toThrow('reports.id is missing');
  });
});
