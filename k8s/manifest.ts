/**
 * Kubernetes manifests as plain JSON values, read from YAML the way kubectl reads them.
 *
 * YAML 1.1 is used on purpose: kubectl and the API server parse manifests with YAML 1.1
 * rules, where an unquoted `yes`, `on` or `2026-01-01` is not a string. Reading the files the
 * same way lets the schema check catch such a value instead of a YAML 1.2 parser hiding it.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export type Json = string | number | boolean | null | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** One Kubernetes object: apiVersion, kind and metadata.name are always present. */
export interface Manifest extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & { name: string };
}

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy that also proves the value is plain JSON (no Date, Map, undefined or NaN). */
export function toJson(value: unknown, where: string): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${where}: ${value} is not a JSON number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, index) => toJson(item, `${where}[${index}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: JsonObject = {};
    for (const [key, child] of Object.entries(value)) copy[key] = toJson(child, `${where}.${key}`);
    return copy;
  }
  const shown = value instanceof Date ? `a timestamp (${value.toISOString()}); quote it` : `a ${typeof value}`;
  throw new TypeError(`${where}: ${shown} is not a JSON value`);
}

export function asManifest(value: Json, where: string): Manifest {
  if (!isJsonObject(value)) throw new TypeError(`${where}: a manifest must be a mapping`);
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw new TypeError(`${where}: apiVersion and kind must be strings`);
  }
  if (!isJsonObject(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
    throw new TypeError(`${where}: metadata.name is required`);
  }
  return value as Manifest;
}

/** Every YAML document of a file, as JSON; a YAML error or warning is an error. */
export function readYamlDocuments(file: string): Json[] {
  return parseYamlDocuments(readFileSync(file, 'utf8'), file);
}

export function parseYamlDocuments(text: string, where: string): Json[] {
  const documents = parseAllDocuments(text, { version: '1.1', uniqueKeys: true, prettyErrors: true });
  if (!Array.isArray(documents)) throw new TypeError(`${where}: not a YAML stream`);
  const values: Json[] = [];
  documents.forEach((document, index) => {
    const problems = [...document.errors, ...document.warnings];
    if (problems.length > 0) throw new SyntaxError(`${where}: ${problems.map((problem) => problem.message).join('; ')}`);
    if (document.contents === null) return; // an empty document (a trailing `---`)
    values.push(toJson(document.toJS({ maxAliasCount: 0 }), `${where}#${index}`));
  });
  return values;
}

export function manifestId(manifest: Manifest): string {
  const namespace = typeof manifest.metadata.namespace === 'string' ? `${manifest.metadata.namespace}/` : '';
  return `${manifest.kind} ${namespace}${manifest.metadata.name}`;
}
