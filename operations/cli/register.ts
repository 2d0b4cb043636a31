/**
 * `npm run operations:register -- FILE.graphql [FILE.graphql …] [--registry PATH]`: adds every
 * operation of the files to the trusted-document registry (operations/registry.json by default),
 * after validating it against the gateway's schema. Operations already registered are left as
 * they are; nothing is removed (delete an entry by hand, in review, once no client sends it).
 */
import { readFile } from 'node:fs/promises';
import { parse, validate } from 'graphql';
import {
  createRegistry,
  DEFAULT_REGISTRY_FILE,
  loadRegistry,
  registerOperations,
  saveRegistry,
  type OperationRegistry,
} from '../../http/persisted-documents.ts';
import { buildGatewaySchema } from '../../schema/build.ts';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run operations:register -- FILE.graphql [FILE.graphql …] [--registry PATH]\n`);
  process.exit(64);
}

function parseArguments(argv: readonly string[]): { files: string[]; registryPath: string } {
  const files: string[] = [];
  let registryPath = DEFAULT_REGISTRY_FILE;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    if (argument === '--registry') {
      const value = argv[(index += 1)];
      if (!value) usage('--registry needs a path');
      registryPath = value;
    } else if (argument.startsWith('-')) {
      usage(`unknown option ${argument}`);
    } else {
      files.push(argument);
    }
  }
  if (files.length === 0) usage('no GraphQL file given');
  return { files, registryPath };
}

async function existingRegistry(path: string): Promise<OperationRegistry> {
  try {
    return await loadRegistry(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return createRegistry([]);
    throw error;
  }
}

const { files, registryPath } = parseArguments(process.argv.slice(2));
const schema = await buildGatewaySchema();
let registry = await existingRegistry(registryPath);
let problems = 0;
for (const file of files) {
  const source = await readFile(file, 'utf8');
  const errors = validate(schema, parse(source));
  if (errors.length > 0) {
    problems += errors.length;
    for (const error of errors) process.stderr.write(`${file}: ${error.message}\n`);
    continue;
  }
  const result = registerOperations(registry, source);
  registry = result.registry;
  for (const operation of result.added) process.stdout.write(`${file}: registered ${operation.name ?? '(anonymous)'} ${operation.id}\n`);
  if (result.added.length === 0) process.stdout.write(`${file}: every operation was already registered\n`);
}
if (problems > 0) {
  process.stderr.write(`nothing written: ${problems} validation error(s)\n`);
  process.exit(1);
}
await saveRegistry(registryPath, registry);
process.stdout.write(`${registryPath}: ${registry.operations.length} operation(s)\n`);
