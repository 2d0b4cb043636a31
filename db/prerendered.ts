/**
 * A SQL fragment rendered once, kept as flat text and parameters. drizzle renders a fragment by
 * walking its tree (columns, nested fragments, parameters with encoders) on every statement
 * that embeds it; a compiled policy condition is a tree of dozens of nodes, embedded up to
 * seven times in one aggregate, and walking it was a fifth of the gateway's CPU on W3. A
 * fragment compiled once per viewer (policies/compiled.ts) is rendered once per viewer too.
 *
 * The result renders to the same text and the same parameters wherever it is embedded
 * (drizzle numbers parameters by position, and qualifies columns by table wherever they stand).
 */
import { Param, SQL, StringChunk, type SQLChunk } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

const dialect = new PgDialect();
const PLACEHOLDER = /\$(\d+)/g;

export function prerendered(fragment: SQL): SQL {
  const { sql: text, params } = dialect.sqlToQuery(fragment);
  const chunks: SQLChunk[] = [];
  let position = 0;
  let expected = 1;
  for (const match of text.matchAll(PLACEHOLDER)) {
    // drizzle writes $1..$n once each, in order; anything else (a "$2" inside a string
    // literal, say) is text this splitter would misread: keep the tree as it was.
    if (Number(match[1]) !== expected) return fragment;
    chunks.push(new StringChunk(text.slice(position, match.index)), new Param(params[expected - 1]));
    position = match.index + match[0].length;
    expected += 1;
  }
  if (expected - 1 !== params.length) return fragment;
  chunks.push(new StringChunk(text.slice(position)));
  return new SQL(chunks);
}
