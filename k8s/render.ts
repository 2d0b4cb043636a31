/**
 * Renders a kustomization (k8s/base, k8s/overlays/*) into the manifests `kubectl apply -k`
 * would send, for the offline tests in tests/unit/k8s.
 *
 * Why by hand: no kustomize, kubectl or helm binary can be installed here, and there is no
 * JavaScript port of kustomize. So this is a deliberately small subset, exactly what our
 * kustomizations use — `resources` (files, and directories holding a kustomization),
 * `namespace`, `labels` (without selectors), `images` (newName/newTag), `configMapGenerator`
 * (literals; create or merge) and `patches` by path (strategic merge, see strategic-merge.ts)
 * — in kustomize's order: resources, generators, patches, namespace, labels, images; hash
 * suffixes and the references to them last. Any other field, list merge or directive is an
 * error, so a kustomization cannot silently mean more than the tests checked. Output order is
 * the resources' order, not kustomize's sorted order, and the hash suffix is not byte-for-byte
 * kustomize's (both are irrelevant to validation).
 *
 *   npx tsx k8s/render.ts k8s/overlays/prod     # print the rendered manifests as YAML
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { z } from 'zod';
import { asManifest, isJsonObject, manifestId, readYamlDocuments, type JsonObject, type Manifest } from './manifest.ts';
import { strategicMerge } from './strategic-merge.ts';

const kustomizationSchema = z.strictObject({
  apiVersion: z.literal('kustomize.config.k8s.io/v1beta1'),
  kind: z.literal('Kustomization'),
  namespace: z.string().min(1).optional(),
  resources: z.array(z.string().min(1)).default([]),
  labels: z
    .array(
      z.strictObject({
        pairs: z.record(z.string(), z.string()),
        includeSelectors: z.literal(false, { error: 'selectors are never relabelled (they are immutable)' }),
        includeTemplates: z.boolean().default(false),
      }),
    )
    .default([]),
  images: z
    .array(z.strictObject({ name: z.string().min(1), newName: z.string().min(1).optional(), newTag: z.string().min(1).optional() }))
    .default([]),
  configMapGenerator: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        behavior: z.enum(['create', 'merge']).default('create'),
        literals: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*=/, 'must be KEY=VALUE')).min(1),
      }),
    )
    .default([]),
  patches: z.array(z.strictObject({ path: z.string().min(1) })).default([]),
});

type Kustomization = z.infer<typeof kustomizationSchema>;

/** Kinds whose spec.template is a pod template (labels with includeTemplates, images). */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

interface Layer {
  readonly resources: Manifest[];
  /** Names of generated ConfigMaps, which get a content hash suffix when rendering ends. */
  readonly generated: Set<string>;
}

/** The manifests a kustomization directory produces. */
export function renderKustomization(directory: string): Manifest[] {
  const layer = buildLayer(resolve(directory), []);
  return addHashSuffixes(layer);
}

function buildLayer(directory: string, seen: readonly string[]): Layer {
  if (seen.includes(directory)) throw new Error(`kustomization cycle: ${[...seen, directory].join(' → ')}`);
  const kustomization = readKustomization(directory);
  const layer: Layer = { resources: [], generated: new Set() };
  for (const entry of kustomization.resources) {
    const target = resolve(directory, entry);
    if (existsSync(target) && statSync(target).isDirectory()) {
      const base = buildLayer(target, [...seen, directory]);
      layer.resources.push(...base.resources);
      for (const name of base.generated) layer.generated.add(name);
    } else {
      const file = insideRoot(directory, entry);
      readYamlDocuments(file).forEach((value, index) => layer.resources.push(asManifest(value, `${file}#${index}`)));
    }
  }
  assertUnique(layer.resources, directory);
  generateConfigMaps(layer, kustomization, directory);
  for (const { path } of kustomization.patches) applyPatchFile(layer, insideRoot(directory, path));
  const { namespace } = kustomization;
  if (namespace) for (const manifest of layer.resources) manifest.metadata.namespace = namespace;
  for (const { pairs, includeTemplates } of kustomization.labels) addLabels(layer.resources, pairs, includeTemplates);
  for (const image of kustomization.images) setImage(layer.resources, image);
  return layer;
}

function readKustomization(directory: string): Kustomization {
  const file = join(directory, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${directory}: no kustomization.yaml`);
  const [document, ...rest] = readYamlDocuments(file);
  if (rest.length > 0) throw new Error(`${file}: one document expected`);
  const parsed = kustomizationSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`${file}: unsupported or invalid kustomization\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** Kustomize's default load restriction: files (not bases) must lie inside the kustomization. */
function insideRoot(directory: string, entry: string): string {
  const file = resolve(directory, entry);
  const path = relative(directory, file);
  if (path.startsWith('..') || isAbsolute(path)) throw new Error(`${directory}: ${entry} is outside the kustomization root`);
  if (!existsSync(file)) throw new Error(`${directory}: ${entry} does not exist`);
  return file;
}

function assertUnique(resources: readonly Manifest[], directory: string): void {
  const ids = resources.map(manifestId);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) throw new Error(`${directory}: ${duplicate} is declared twice`);
}

function generateConfigMaps(layer: Layer, kustomization: Kustomization, directory: string): void {
  for (const generator of kustomization.configMapGenerator) {
    const data = Object.fromEntries(generator.literals.map(parseLiteral));
    const existing = layer.resources.find((item) => item.kind === 'ConfigMap' && item.metadata.name === generator.name);
    if (generator.behavior === 'merge') {
      if (!existing || !layer.generated.has(generator.name)) {
        throw new Error(`${directory}: configMapGenerator ${generator.name} merges into a generated ConfigMap that no base has`);
      }
      existing.data = { ...(isJsonObject(existing.data) ? existing.data : {}), ...data };
      continue;
    }
    if (existing) throw new Error(`${directory}: ConfigMap ${generator.name} already exists (use behavior: merge)`);
    layer.resources.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data });
    layer.generated.add(generator.name);
  }
}

function parseLiteral(literal: string): [string, string] {
  const at = literal.indexOf('=');
  const value = literal.slice(at + 1);
  // kustomize strips one pair of surrounding quotes; refusing them keeps both readings equal.
  if (/^(["']).*\1$/.test(value)) throw new Error(`configMapGenerator literal ${literal}: leave the value unquoted`);
  return [literal.slice(0, at), value];
}

function applyPatchFile(layer: Layer, file: string): void {
  for (const [index, value] of readYamlDocuments(file).entries()) {
    const patch = asManifest(value, `${file}#${index}`);
    const matches = layer.resources
      .map((manifest, at) => ({ manifest, at }))
      .filter(({ manifest }) => manifest.apiVersion === patch.apiVersion && manifest.kind === patch.kind && manifest.metadata.name === patch.metadata.name);
    const [match, ...more] = matches;
    if (!match || more.length > 0) {
      throw new Error(`${file}: the patch must match exactly one resource (${patch.kind} ${patch.metadata.name} matches ${matches.length})`);
    }
    layer.resources[match.at] = asManifest(strategicMerge(match.manifest, patch), file);
  }
}

function addLabels(resources: readonly Manifest[], pairs: Record<string, string>, includeTemplates: boolean): void {
  for (const manifest of resources) {
    manifest.metadata.labels = { ...objectAt(manifest.metadata, 'labels'), ...pairs };
    const template = WORKLOAD_KINDS.has(manifest.kind) ? podTemplate(manifest) : undefined;
    if (includeTemplates && template) {
      const metadata = objectAt(template, 'metadata');
      template.metadata = { ...metadata, labels: { ...objectAt(metadata, 'labels'), ...pairs } };
    }
  }
}

function setImage(resources: readonly Manifest[], image: Kustomization['images'][number]): void {
  for (const container of containersOf(resources)) {
    if (typeof container.image !== 'string') continue;
    const reference = parseImage(container.image);
    if (reference.name !== image.name) continue;
    const name = image.newName ?? reference.name;
    const tag = image.newTag ?? reference.tag;
    container.image = `${name}${tag ? `:${tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
  }
}

/** name[:tag][@digest]; a colon before the last slash belongs to a registry port. */
export function parseImage(image: string): { name: string; tag: string | undefined; digest: string | undefined } {
  const [withTag = '', digest] = image.split('@', 2);
  const colon = withTag.lastIndexOf(':');
  if (colon > withTag.lastIndexOf('/')) return { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
  return { name: withTag, tag: undefined, digest };
}

function addHashSuffixes(layer: Layer): Manifest[] {
  const renamed = new Map<string, string>();
  for (const manifest of layer.resources) {
    if (manifest.kind !== 'ConfigMap' || !layer.generated.has(manifest.metadata.name)) continue;
    const content = JSON.stringify(sortKeys({ kind: manifest.kind, name: manifest.metadata.name, data: manifest.data ?? {} }));
    const suffixed = `${manifest.metadata.name}-${createHash('sha256').update(content).digest('hex').slice(0, 10)}`;
    renamed.set(manifest.metadata.name, suffixed);
    manifest.metadata.name = suffixed;
  }
  for (const spec of podSpecsOf(layer.resources)) {
    for (const container of containersIn(spec)) {
      for (const source of listAt(container, 'envFrom')) renameRef(objectAt(source, 'configMapRef'), renamed);
      for (const variable of listAt(container, 'env')) renameRef(objectAt(objectAt(variable, 'valueFrom'), 'configMapKeyRef'), renamed);
    }
    for (const volume of listAt(spec, 'volumes')) renameRef(objectAt(volume, 'configMap'), renamed);
  }
  return layer.resources;
}

function renameRef(reference: JsonObject, renamed: ReadonlyMap<string, string>): void {
  const target = typeof reference.name === 'string' ? renamed.get(reference.name) : undefined;
  if (target) reference.name = target;
}

function sortKeys(value: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => {
        const child = value[key] ?? null;
        return [key, isJsonObject(child) ? sortKeys(child) : child];
      }),
  );
}

function objectAt(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  return isJsonObject(value) ? value : {};
}

function listAt(parent: JsonObject, key: string): JsonObject[] {
  const value = parent[key];
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function podTemplate(manifest: Manifest): JsonObject | undefined {
  const template = objectAt(manifest, 'spec').template;
  return isJsonObject(template) ? template : undefined;
}

/** The pod specs of the workloads among the manifests. */
function podSpecsOf(resources: readonly Manifest[]): JsonObject[] {
  return resources.flatMap((manifest) => {
    const template = WORKLOAD_KINDS.has(manifest.kind) ? podTemplate(manifest) : undefined;
    const spec = template?.spec;
    return isJsonObject(spec) ? [spec] : [];
  });
}

function containersIn(spec: JsonObject): JsonObject[] {
  return [...listAt(spec, 'initContainers'), ...listAt(spec, 'containers')];
}

function containersOf(resources: readonly Manifest[]): JsonObject[] {
  return podSpecsOf(resources).flatMap(containersIn);
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const directory = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'overlays', 'prod');
  process.stdout.write(renderKustomization(directory).map((manifest) => stringify(manifest)).join('---\n'));
}
