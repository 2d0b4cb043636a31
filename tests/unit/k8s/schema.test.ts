/**
 * Every manifest in k8s/, and everything each kustomization renders, against the Kubernetes
 * API schemas (kubernetes-models) plus a strict unknown-field check; planted errors prove the
 * checks bite.
 */
import { relative } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { describe, expect, it } from 'vitest';
import { asManifest, readYamlDocuments, type JsonObject, type Manifest } from '../../../k8s/manifest.ts';
import { objectOf, objectsOf } from '../../support/k8s-policy.ts';
import { schemaProblems } from '../../support/k8s-schema.ts';
import { classifyYamlFiles, one, render, REPO_ROOT, TARGETS } from '../../support/k8s-tree.ts';

const files = classifyYamlFiles();

function prodDeployment(): Manifest {
  return structuredClone(one(render('overlays/prod'), 'Deployment'));
}

function gatewayContainer(deployment: Manifest): JsonObject {
  const spec = objectOf(objectOf(objectOf(deployment.spec).template).spec);
  const [container] = objectsOf(spec.containers);
  if (!container) throw new Error('no container');
  return container;
}

function podSpec(deployment: Manifest): JsonObject {
  return objectOf(objectOf(objectOf(deployment.spec).template).spec);
}

describe('k8s/ files', () => {
  it('are each a kustomization, a patch or a resource some kustomization lists (none is skipped)', () => {
    expect(files.orphans).toEqual([]);
    expect(files.resources.length).toBeGreaterThanOrEqual(7);
    expect(files.patches.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files.resources.map((file) => [relative(REPO_ROOT, file), file]))('%s is valid against the API schema', (_, file) => {
    const documents = readYamlDocuments(file);
    expect(documents.length).toBeGreaterThan(0);
    for (const [index, document] of documents.entries()) {
      expect(schemaProblems(asManifest(document, `${file}#${index}`))).toEqual([]);
    }
  });
});

describe.each(TARGETS)('rendered %s', (target) => {
  const manifests = render(target);

  it('holds the expected kinds', () => {
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Job',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
  });

  it.each(manifests.map((manifest) => [`${manifest.kind} ${manifest.metadata.name}`, manifest]))('%s is valid against the API schema', (_, manifest) => {
    expect(schemaProblems(manifest)).toEqual([]);
  });
});

describe('planted errors', () => {
  it('kubernetes-models alone accepts an unknown field: hence the strict check', () => {
    const deployment = prodDeployment();
    gatewayContainer(deployment).imagePullPolicyy = 'Always';
    expect(() => Deployment.prototype.validate.call(deployment)).not.toThrow();
    expect(schemaProblems(deployment)).toEqual(['/spec/template/spec/containers/0/imagePullPolicyy: unknown field']);
  });

  it('catches a wrong type: replicas "3"', () => {
    const deployment = prodDeployment();
    objectOf(deployment.spec).replicas = '3';
    expect(schemaProblems(deployment)).toEqual(['/spec/replicas: must be integer']);
  });

  it('catches a missing required field: a container without a name', () => {
    const deployment = prodDeployment();
    delete gatewayContainer(deployment).name;
    expect(schemaProblems(deployment)).toEqual(['/spec/template/spec/containers/0: must have required property name']);
  });

  it('catches a value outside an enum', () => {
    const deployment = prodDeployment();
    gatewayContainer(deployment).imagePullPolicy = 'Sometimes';
    expect(schemaProblems(deployment)).toEqual(['/spec/template/spec/containers/0/imagePullPolicy: must be equal to one of the allowed values']);
  });

  it('catches unknown fields at every depth, and the required field a misspelling leaves out', () => {
    const deployment = prodDeployment();
    deployment.metadata.labelz = { a: 'b' };
    podSpec(deployment).securityContext = { ...objectOf(podSpec(deployment).securityContext), runAsNonRot: true };
    objectOf(objectOf(gatewayContainer(deployment).lifecycle).preStop).sleep = { second: 5 };
    expect(schemaProblems(deployment)).toEqual([
      '/spec/template/spec/containers/0/lifecycle/preStop/sleep: must have required property seconds',
      '/metadata/labelz: unknown field',
      '/spec/template/spec/securityContext/runAsNonRot: unknown field',
      '/spec/template/spec/containers/0/lifecycle/preStop/sleep/second: unknown field',
    ]);
  });

  it('does not flag keys of map-typed fields (labels, annotations, resource names)', () => {
    const deployment = prodDeployment();
    const template = objectOf(objectOf(deployment.spec).template);
    template.metadata = { ...objectOf(template.metadata), annotations: { 'example.com/anything': 'x' } };
    objectOf(objectOf(gatewayContainer(deployment).resources).limits)['ephemeral-storage'] = '1Gi';
    expect(schemaProblems(deployment)).toEqual([]);
  });

  it('catches several errors in one manifest and in other kinds', () => {
    const manifests = structuredClone(render('overlays/staging'));
    const service = one(manifests, 'Service');
    objectOf(service.spec).type = 'Public';
    const hpa = one(manifests, 'HorizontalPodAutoscaler');
    objectOf(hpa.spec).minReplica = 2;
    const job = one(manifests, 'Job');
    objectOf(job.spec).backoffLimit = 'two';
    expect(schemaProblems(service)).toEqual(['/spec/type: must be equal to one of the allowed values']);
    expect(schemaProblems(hpa)).toEqual(['/spec/minReplica: unknown field']);
    expect(schemaProblems(job)).toEqual(['/spec/backoffLimit: must be integer']);
  });

  it('refuses a kind these manifests may not use', () => {
    const manifest = asManifest({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x' } }, 'planted');
    expect(schemaProblems(manifest)).toEqual(['(root): no schema for networking.k8s.io/v1 Ingress (not a kind these manifests may use)']);
  });
});
