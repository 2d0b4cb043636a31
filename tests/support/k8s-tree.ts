/** The k8s/ tree as the tests see it: what to render, and which YAML file is which. */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isJsonObject, readYamlDocuments, type Json, type Manifest } from '../../k8s/manifest.ts';
import { renderKustomization } from '../../k8s/render.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const K8S_ROOT = join(REPO_ROOT, 'k8s');

/** Every kustomization that is applied or built on; overlays are what gets deployed. */
export const TARGETS = ['base', 'overlays/staging', 'overlays/prod'] as const;
export const OVERLAYS = ['overlays/staging', 'overlays/prod'] as const;
export type Target = (typeof TARGETS)[number];

export function render(target: Target): Manifest[] {
  return renderKustomization(join(K8S_ROOT, target));
}

/** One rendered object of a kind (and name), failing when there is not exactly one. */
export function one(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((manifest) => manifest.kind === kind && (name === undefined || manifest.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0] as Manifest;
}

export function yamlFiles(directory = K8S_ROOT): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

/** The YAML files of k8s/ by role: kustomizations, patches, and resource manifests. */
export function classifyYamlFiles(): { kustomizations: string[]; patches: string[]; resources: string[]; orphans: string[] } {
  const files = yamlFiles();
  const kustomizations = files.filter((file) => file.endsWith('/kustomization.yaml'));
  const referenced = (key: 'patches' | 'resources') =>
    kustomizations.flatMap((file) => {
      const [document] = readYamlDocuments(file);
      const entries: Json[] = isJsonObject(document) && Array.isArray(document[key]) ? document[key] : [];
      return entries.map((entry) => resolve(file, '..', String(isJsonObject(entry) ? entry.path : entry)));
    });
  const patches = referenced('patches');
  const resourceEntries = referenced('resources');
  const resources = files.filter((file) => resourceEntries.includes(file));
  const orphans = files.filter((file) => !kustomizations.includes(file) && !patches.includes(file) && !resources.includes(file));
  return { kustomizations, patches, resources, orphans: orphans.map((file) => relative(REPO_ROOT, file)) };
}
