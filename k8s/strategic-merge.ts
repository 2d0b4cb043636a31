/**
 * The part of Kubernetes' strategic merge patch that the overlays use: mappings merge key by
 * key, `null` deletes a key, and the lists below merge item by item on their merge key (as the
 * API declares with patchMergeKey). `command` and `args` are replaced whole. Any other list,
 * and any `$patch`-style directive, is refused rather than merged in a way kustomize would not.
 */
import { isJsonObject, type Json, type JsonObject } from './manifest.ts';

/** Field name → the key its items merge on (the API's patchMergeKey for these fields). */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
};

/** Lists the API treats as atomic: the patch's list replaces the base's. */
const REPLACED_LISTS = new Set(['command', 'args']);

export function strategicMerge(base: JsonObject, patch: JsonObject, path = ''): JsonObject {
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const at = path ? `${path}.${key}` : key;
    if (key.startsWith('$')) throw new Error(`${at}: patch directives are not supported`);
    if (value === null) {
      delete merged[key];
      continue;
    }
    const current = merged[key];
    merged[key] = current === undefined ? value : mergeValue(current, value, key, at);
  }
  return merged;
}

function mergeValue(base: Json, patch: Json, field: string, path: string): Json {
  if (isJsonObject(base) && isJsonObject(patch)) return strategicMerge(base, patch, path);
  if (Array.isArray(base) && Array.isArray(patch)) {
    const mergeKey = MERGE_KEYS[field];
    if (mergeKey !== undefined) return mergeList(base, patch, mergeKey, path);
    if (REPLACED_LISTS.has(field)) return patch;
    throw new Error(`${path}: merging the list "${field}" is not supported (no merge key known)`);
  }
  return patch;
}

function mergeList(base: Json[], patch: Json[], mergeKey: string, path: string): Json[] {
  const merged = [...base];
  patch.forEach((item, index) => {
    if (!isJsonObject(item) || item[mergeKey] === undefined) {
      throw new Error(`${path}[${index}]: a list item needs its merge key "${mergeKey}"`);
    }
    const at = merged.findIndex((existing) => isJsonObject(existing) && existing[mergeKey] === item[mergeKey]);
    const existing = merged[at];
    if (at >= 0 && isJsonObject(existing)) {
      merged[at] = strategicMerge(existing, item, `${path}[${mergeKey}=${String(item[mergeKey])}]`);
    } else {
      merged.push(item);
    }
  });
  return merged;
}
