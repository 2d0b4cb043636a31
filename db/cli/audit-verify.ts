/**
 * `npm run audit:verify -- [--checkpoint ID:HASH]`: walks the audit hash chain of DATABASE_URL
 * (or the embedded database). Exit 0 with the head when intact; 1 naming the first bad row.
 * Pass the last published head as the checkpoint to catch a deleted tail too.
 */
import { parseArgs } from 'node:util';
import { verifyAuditChain, type ChainHead } from '../audit-verify.ts';
import { openDatabase } from '../client.ts';
import { databaseTargetFromEnv } from '../target.ts';

const { values } = parseArgs({ options: { checkpoint: { type: 'string' } } });
let checkpoint: ChainHead | undefined;
if (values.checkpoint) {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(values.checkpoint);
  if (!match) {
    process.stderr.write('--checkpoint must be ID:HASH (the published chain head)\n');
    process.exit(2);
  }
  checkpoint = { id: Number(match[1]), hash: match[2]! };
}

const database = await openDatabase(databaseTargetFromEnv());
try {
  const result = await verifyAuditChain(database.db, checkpoint);
  if (result.ok) {
    const head = result.head ? `${result.head.id}:${result.head.hash}` : 'empty';
    process.stdout.write(`audit chain intact: ${result.rows} rows, head ${head}\n`);
  } else {
    process.stderr.write(`audit chain BROKEN after ${result.rows} good rows: ${result.problem}\n`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
