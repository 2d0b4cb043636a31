/**
 * k8s/render.ts: the kustomize subset behaves as kustomize does for what our overlays use, and
 * refuses everything else. Fixture kustomizations are written to a temporary directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseYamlDocuments, type Manifest } from '../../../k8s/manifest.ts';
import { parseImage, renderKustomization } from '../../../k8s/render.ts';
import { containerEnvironment, field, objectOf, objectsOf, servers } from '../../support/k8s-policy.ts';
import { one, render } from '../../support/k8s-tree.ts';

let root = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'k8s-render-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const HEADER = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: app, labels: { app: app } }
spec:
  selector: { matchLabels: { app: app } }
  template:
    metadata: { labels: { app: app } }
    spec:
      containers:
        - name: app
          image: app:1.0.0
          args: ["a", "b"]
          ports: [{ containerPort: 80 }]
          envFrom: [{ configMapRef: { name: app-config } }, { configMapRef: { name: external } }]
          env: [{ name: A, value: "1" }, { name: B, value: "2" }]
          resources: { requests: { cpu: 100m, memory: 64Mi } }
        - name: sidecar
          image: other:2.0.0
`;
const BASE = {
  'base/kustomization.yaml': `${HEADER}resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: app-config\n    literals: [LOG_LEVEL=info, PORT=4000]\n`,
  'base/deployment.yaml': DEPLOYMENT,
};

function overlay(kustomization: string, extra: Record<string, string> = {}): Manifest[] {
  write({ ...BASE, 'overlay/kustomization.yaml': `${HEADER}resources: [../base]\n${kustomization}`, ...extra });
  return renderKustomization(join(root, 'overlay'));
}

function containers(manifests: Manifest[]) {
  return objectsOf(field(one(manifests, 'Deployment'), 'spec', 'template', 'spec', 'containers'));
}

describe('renderKustomization on fixtures', () => {
  it('merges a strategic patch: containers and env by name, null deletes, args replaced', () => {
    const patch = `apiVersion: apps/v1
kind: Deployment
metadata: { name: app }
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          args: ["c"]
          env: [{ name: B, value: "20" }, { name: C, value: "3" }]
          resources: { requests: { cpu: null }, limits: { memory: 128Mi } }
`;
    const [app, sidecar] = containers(overlay('patches:\n  - path: patch.yaml\n', { 'overlay/patch.yaml': patch }));
    expect(app).toMatchObject({
      name: 'app',
      image: 'app:1.0.0',
      args: ['c'],
      env: [{ name: 'A', value: '1' }, { name: 'B', value: '20' }, { name: 'C', value: '3' }],
      resources: { requests: { memory: '64Mi' }, limits: { memory: '128Mi' } },
    });
    expect(field(app, 'resources', 'requests', 'cpu')).toBeUndefined();
    expect(sidecar).toEqual({ name: 'sidecar', image: 'other:2.0.0' });
  });

  it('hashes generated ConfigMaps by content, merges overlay literals, and rewrites only their references', () => {
    write(BASE);
    const base = renderKustomization(join(root, 'base'));
    const merged = overlay('configMapGenerator:\n  - name: app-config\n    behavior: merge\n    literals: [LOG_LEVEL=debug, AUTH_MODE=okta]\n');
    const baseMap = one(base, 'ConfigMap');
    const mergedMap = one(merged, 'ConfigMap');
    expect(baseMap.metadata.name).toMatch(/^app-config-[0-9a-f]{10}$/);
    expect(mergedMap.metadata.name).toMatch(/^app-config-[0-9a-f]{10}$/);
    expect(mergedMap.metadata.name).not.toBe(baseMap.metadata.name);
    expect(mergedMap.data).toEqual({ LOG_LEVEL: 'debug', PORT: '4000', AUTH_MODE: 'okta' });
    const [app] = containers(merged);
    expect(app?.envFrom).toEqual([{ configMapRef: { name: mergedMap.metadata.name } }, { configMapRef: { name: 'external' } }]);
  });

  it('sets namespace, labels (templates, never selectors) and images', () => {
    const manifests = overlay(`namespace: team
labels:
  - pairs: { env: test }
    includeSelectors: false
    includeTemplates: true
images:
  - name: app
    newName: registry.example.com:5000/team/app
    newTag: 2.0.0
`);
    const deployment = one(manifests, 'Deployment');
    expect(manifests.every((manifest) => manifest.metadata.namespace === 'team')).toBe(true);
    expect(deployment.metadata.labels).toEqual({ app: 'app', env: 'test' });
    expect(field(deployment, 'spec', 'template', 'metadata', 'labels')).toEqual({ app: 'app', env: 'test' });
    expect(field(deployment, 'spec', 'selector')).toEqual({ matchLabels: { app: 'app' } });
    expect(one(manifests, 'ConfigMap').metadata.labels).toEqual({ env: 'test' });
    expect(containers(manifests).map((container) => container.image)).toEqual(['registry.example.com:5000/team/app:2.0.0', 'other:2.0.0']);
  });

  it.each([
    ['an unsupported kustomization field', 'namePrefix: x-\n', {}, /unsupported or invalid kustomization[\s\S]*namePrefix/],
    ['labels on selectors', 'labels:\n  - pairs: { a: b }\n    includeSelectors: true\n', {}, /includeSelectors: selectors are never relabelled/],
    ['a patch that matches nothing', 'patches:\n  - path: p.yaml\n', { 'overlay/p.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: app }\n' }, /matches 0/],
    [
      'a list without a known merge key',
      'patches:\n  - path: p.yaml\n',
      { 'overlay/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec: { template: { spec: { containers: [{ name: app, ports: [{ containerPort: 1 }] }] } } }\n' },
      /merging the list "ports" is not supported/,
    ],
    ['a patch directive', 'patches:\n  - path: p.yaml\n', { 'overlay/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec: { $patch: delete }\n' }, /directives are not supported/],
    ['a file outside the kustomization', 'patches:\n  - path: ../base/deployment.yaml\n', {}, /outside the kustomization root/],
    ['a quoted literal', 'configMapGenerator:\n  - name: app-config\n    behavior: merge\n    literals: [\'A="x"\']\n', {}, /leave the value unquoted/],
    ['a merge into no generated ConfigMap', 'configMapGenerator:\n  - name: other\n    behavior: merge\n    literals: [A=1]\n', {}, /no base has/],
    ['a second ConfigMap of the same name', 'configMapGenerator:\n  - name: app-config\n    literals: [A=1]\n', {}, /already exists/],
    ['a resource declared twice', 'resources: [../base, ../base/deployment.yaml]\n', {}, /declared twice|resources/],
  ])('refuses %s', (_, kustomization, extra, message) => {
    expect(() => overlay(kustomization, extra)).toThrow(message);
  });

  it('reads YAML as kubectl does (1.1): an unquoted date or a duplicate key is an error', () => {
    expect(() => parseYamlDocuments('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata: { SINCE: 2026-01-01 }\n', 'planted')).toThrow(/timestamp/);
    expect(parseYamlDocuments('data: { FLAG: yes }\n', 'planted')).toEqual([{ data: { FLAG: true } }]);
    expect(() => parseYamlDocuments('a: 1\na: 2\n', 'planted')).toThrow(/unique|duplicate/i);
  });
});

describe('parseImage', () => {
  it.each([
    ['app', { name: 'app', tag: undefined, digest: undefined }],
    ['app:1.2.3', { name: 'app', tag: '1.2.3', digest: undefined }],
    ['registry:5000/team/app', { name: 'registry:5000/team/app', tag: undefined, digest: undefined }],
    ['registry:5000/team/app:1.0@sha256:abc', { name: 'registry:5000/team/app', tag: '1.0', digest: 'sha256:abc' }],
  ])('%s', (image, expected) => {
    expect(parseImage(image)).toEqual(expected);
  });
});

describe('the real overlays', () => {
  it.each([
    ['overlays/staging', 'builder-insights-staging', 'https://builder.okta.com/oauth2/aus-staging', 2, 4, 'debug'],
    ['overlays/prod', 'builder-insights', 'https://builder.okta.com/oauth2/aus-prod', 3, 12, 'info'],
  ] as const)('%s: namespace, issuer, replicas, log level and the pinned image', (target, namespace, issuer, replicas, maxReplicas, logLevel) => {
    const manifests = render(target);
    expect(new Set(manifests.map((manifest) => manifest.metadata.namespace))).toEqual(new Set([namespace]));
    const [server] = servers(manifests);
    const env = containerEnvironment(objectOf(server?.container), manifests);
    expect(env).toMatchObject({ AUTH_MODE: 'okta', AUTH_ISSUER: issuer, LOG_LEVEL: logLevel, NODE_ENV: 'production' });
    expect(field(one(manifests, 'Deployment'), 'spec', 'replicas')).toBe(replicas);
    expect(field(one(manifests, 'HorizontalPodAutoscaler'), 'spec')).toMatchObject({ minReplicas: replicas, maxReplicas });
    const images = manifests.flatMap((manifest) => objectsOf(field(manifest, 'spec', 'template', 'spec', 'containers')).map((container) => container.image));
    expect(images).toEqual([
      'registry.example.com/builder-relations/builder-insights-gateway:0.1.0',
      'registry.example.com/builder-relations/builder-insights-gateway:0.1.0',
    ]);
  });

  it('staging and prod differ in resources, and the overlays leave selectors alone', () => {
    const staging = render('overlays/staging');
    const prod = render('overlays/prod');
    const resources = (manifests: Manifest[]) => field(objectOf(servers(manifests)[0]?.container), 'resources');
    expect(resources(staging)).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(resources(prod)).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } });
    const base = render('base');
    for (const kind of ['Deployment', 'PodDisruptionBudget', 'Service', 'NetworkPolicy']) {
      const selectors = (manifests: Manifest[]) => manifests.filter((manifest) => manifest.kind === kind).map((manifest) => field(manifest, 'spec', kind === 'Service' ? 'selector' : kind === 'NetworkPolicy' ? 'podSelector' : 'selector'));
      expect(selectors(prod)).toEqual(selectors(base));
      expect(selectors(staging)).toEqual(selectors(base));
    }
  });
});
