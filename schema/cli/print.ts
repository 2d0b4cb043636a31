/**
 * `npm run schema:print`: writes schema/schema.graphql from the resolver classes. The file is
 * committed, so every change to the API shows in review; a test fails when it is stale.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { buildGatewaySchema } from '../build.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema.graphql', import.meta.url));

await writeFile(SCHEMA_FILE, `${printSchema(await buildGatewaySchema())}\n`);
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
