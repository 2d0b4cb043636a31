import { readFile } from 'node:fs/promises';
import { isObjectType, printSchema, type GraphQLNamedType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { buildGatewaySchema } from '../../schema/build.ts';

const SCHEMA_FILE = new URL('../../schema/schema.graphql', import.meta.url);

describe('schema/schema.graphql', () => {
  it('is the schema the code builds (run `npm run schema:print` after changing the API)', async () => {
    const printed = `${printSchema(await buildGatewaySchema())}\n`;
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(printed);
  });

  it('describes every type and field, for GraphiQL', async () => {
    const schema = await buildGatewaySchema();
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
      if (type.name.startsWith('__') || ['String', 'Boolean', 'Int', 'Float', 'ID'].includes(type.name)) continue;
      // type-graphql gives the root operation types no description; their fields carry it.
      if (!type.description && !['Query', 'Mutation'].includes(type.name)) undocumented.push(type.name);
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) if (!field.description) undocumented.push(`${type.name}.${field.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('names the operations outside tests rely on (DESIGN §5)', async () => {
    const schema = await buildGatewaySchema();
    const queries = Object.keys(schema.getQueryType()?.getFields() ?? {});
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect(queries).toEqual(expect.arrayContaining(['me', 'report', 'reports', 'reportStats', 'explainAccess']));
    expect(mutations).toEqual(expect.arrayContaining(['createReport', 'updateReport', 'submitReport', 'publishReport', 'archiveReport', 'returnReport']));
  });

  it('reads plain fields inline: only operations, @FieldResolver methods and fields marked not simple have resolvers', async () => {
    // type-graphql otherwise wraps every property in a resolver (for middlewares this API does
    // not use), which graphql-jit must call with a fresh info object per field and row.
    const schema = await buildGatewaySchema();
    const storage = getMetadataStorage();
    const typeNames = new Map<unknown, string>(storage.objectTypes.map((type) => [type.target, type.name]));
    const declared = new Set([
      ...storage.fieldResolvers.map((resolver) => `${typeNames.get(resolver.getObjectType?.())}.${resolver.schemaName}`),
      ...storage.fields.filter((field) => field.simple === false).map((field) => `${typeNames.get(field.target)}.${field.schemaName}`),
    ]);
    const resolved: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || ['Query', 'Mutation'].includes(type.name)) continue;
      for (const field of Object.values(type.getFields())) if (field.resolve) resolved.push(`${type.name}.${field.name}`);
    }
    expect(resolved.length).toBeGreaterThan(0);
    expect(resolved.sort()).toEqual([...declared].sort());
  });
});
