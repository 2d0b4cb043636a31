/**
 * Deployment policy on what each kustomization renders (probes, resources, non-root, pinned
 * images, no secrets in ConfigMaps, drain fits the grace period, only variables config.ts
 * knows, Okta only), the environment passing config.ts itself, and the references between
 * objects. Each policy is shown to fire on a planted violation.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, databaseTargetFromEnv, loadConfig } from '../../../config.ts';
import type { Json, JsonObject, Manifest } from '../../../k8s/manifest.ts';
import {
  configMaps,
  configMapSecretProblems,
  configVariableNames,
  containerEnvironment,
  devIssuerProblems,
  envKeyProblems,
  field,
  gracePeriodProblems,
  imageProblems,
  listOf,
  objectOf,
  objectsOf,
  podTemplates,
  probeProblems,
  resourceProblems,
  securityProblems,
  servers,
} from '../../support/k8s-policy.ts';
import { one, OVERLAYS, render, TARGETS, yamlFiles, type Target } from '../../support/k8s-tree.ts';

/** Secret references replaced by what a Secret would hold (placeholders, never real values). */
function withSecrets(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value.startsWith('secret:') ? 'postgres://role:placeholder@db.internal:5432/insights' : value]),
  );
}

function gateway(manifests: Manifest[]) {
  const [server, ...more] = servers(manifests);
  if (!server || more.length > 0) throw new Error('expected one server container');
  return server;
}

function portNumber(manifests: Manifest[], name: string): number | undefined {
  const port = objectsOf(gateway(manifests).container.ports).find((item) => item.name === name);
  return typeof port?.containerPort === 'number' ? port.containerPort : undefined;
}

function selects(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

describe.each(TARGETS)('policy on rendered %s', (target: Target) => {
  const manifests = render(target);

  it('every server container has readiness (/readyz) and liveness (/healthz, higher failureThreshold) probes', () => {
    expect(probeProblems(manifests)).toEqual([]);
    expect(gateway(manifests).container.startupProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
  });

  it('every container has CPU and memory requests and limits', () => {
    expect(resourceProblems(manifests)).toEqual([]);
  });

  it('every pod runs restricted: non-root UID, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp', () => {
    expect(securityProblems(manifests)).toEqual([]);
  });

  it('every image is tagged with a release, never latest (and names a registry in overlays)', () => {
    expect(imageProblems(manifests, { registry: target !== 'base' })).toEqual([]);
  });

  it('no ConfigMap holds a secret, and no Secret is rendered at all (they live outside git)', () => {
    expect(configMapSecretProblems(manifests)).toEqual([]);
    expect(manifests.filter((manifest) => manifest.kind === 'Secret')).toEqual([]);
  });

  it('terminationGracePeriodSeconds exceeds preStop + SHUTDOWN_DELAY_S + SHUTDOWN_DRAIN_S', () => {
    expect(gracePeriodProblems(manifests)).toEqual([]);
    const env = containerEnvironment(gateway(manifests).container, manifests);
    expect(env).toMatchObject({ SHUTDOWN_DELAY_S: '10', SHUTDOWN_DRAIN_S: '20' });
    expect(gateway(manifests).template.spec.terminationGracePeriodSeconds).toBe(45);
  });

  it('every ConfigMap key and container variable is one config.ts reads', () => {
    expect(envKeyProblems(manifests)).toEqual([]);
  });

  it('uses Okta only (AUTH_MODE=okta, never the development issuer)', () => {
    expect(devIssuerProblems(manifests)).toEqual([]);
    expect(containerEnvironment(gateway(manifests).container, manifests).AUTH_MODE).toBe('okta');
  });

  it('rolls one pod at a time with no capacity loss, and the Deployment matches the HPA floor', () => {
    const deployment = one(manifests, 'Deployment');
    expect(field(deployment, 'spec', 'strategy')).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    const hpa = objectOf(one(manifests, 'HorizontalPodAutoscaler').spec);
    expect(field(deployment, 'spec', 'replicas')).toBe(hpa.minReplicas);
    expect(Number(hpa.maxReplicas)).toBeGreaterThan(Number(hpa.minReplicas));
    expect(objectOf(one(manifests, 'PodDisruptionBudget').spec).maxUnavailable).toBe(1);
  });

  it('wires its objects together: selectors, ports, service account, HPA target, network policies', () => {
    const deployment = one(manifests, 'Deployment');
    const job = one(manifests, 'Job');
    const [serverPod, jobPod] = [deployment, job].map((owner) => objectOf(podTemplates([owner])[0]?.metadata.labels)) as [JsonObject, JsonObject];
    const service = objectOf(one(manifests, 'Service').spec);
    expect(selects(objectOf(service.selector), serverPod)).toBe(true);
    expect(selects(objectOf(service.selector), jobPod)).toBe(false);
    expect(objectsOf(service.ports).map((port) => [port.name, port.port, port.targetPort])).toEqual([
      ['http', 80, 'http'],
      ['metrics', 9464, 'metrics'],
    ]);
    expect(portNumber(manifests, 'http')).toBe(4000);
    expect(portNumber(manifests, 'metrics')).toBe(9464);
    expect(selects(objectOf(field(deployment, 'spec', 'selector', 'matchLabels')), serverPod)).toBe(true);
    expect(selects(objectOf(field(one(manifests, 'PodDisruptionBudget'), 'spec', 'selector', 'matchLabels')), serverPod)).toBe(true);
    expect(field(one(manifests, 'HorizontalPodAutoscaler'), 'spec', 'scaleTargetRef')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    const account = one(manifests, 'ServiceAccount');
    expect(account.automountServiceAccountToken).toBe(false);
    for (const template of podTemplates(manifests)) expect(template.spec.serviceAccountName).toBe(account.metadata.name);

    const policies = manifests.filter((manifest) => manifest.kind === 'NetworkPolicy');
    const selecting = (labels: Record<string, unknown>) =>
      policies.filter((policy) => selects(objectOf(field(policy, 'spec', 'podSelector', 'matchLabels')), labels)).map((policy) => policy.metadata.name);
    expect(selecting(serverPod)).toEqual(['default-deny-all', 'builder-insights-gateway']);
    expect(selecting(jobPod)).toEqual(['default-deny-all', 'builder-insights-gateway-migrate']);
    const denyAll = one(manifests, 'NetworkPolicy', 'default-deny-all');
    expect(denyAll.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('lets the gateway reach DNS, PostgreSQL, the issuer and OTLP, and be reached on http and metrics only', () => {
    const policy = objectOf(one(manifests, 'NetworkPolicy', 'builder-insights-gateway').spec);
    const ports = (rules: Json | undefined) => objectsOf(rules).flatMap((rule) => objectsOf(rule.ports).map((port) => port.port));
    expect(ports(policy.ingress)).toEqual(['http', 'metrics']);
    expect(ports(policy.egress)).toEqual([53, 53, 5432, 443, 4317, 4318]);
    const migrate = objectOf(one(manifests, 'NetworkPolicy', 'builder-insights-gateway-migrate').spec);
    expect(ports(migrate.egress)).toEqual([53, 53, 5432]);
    expect(migrate.ingress).toBeUndefined();
    const namedPorts = objectsOf(gateway(manifests).container.ports).map((port) => port.name);
    for (const port of ports(policy.ingress)) expect(namedPorts).toContain(port);
  });

  it('takes DATABASE_URL from Secrets: the runtime role for the gateway, the migration role for the Job', () => {
    const env = containerEnvironment(gateway(manifests).container, manifests);
    expect(env.DATABASE_URL).toBe('secret:builder-insights-gateway-database/DATABASE_URL');
    const job = one(manifests, 'Job');
    const [migrate] = objectsOf(field(job, 'spec', 'template', 'spec', 'containers'));
    const jobEnv = containerEnvironment(objectOf(migrate), manifests);
    expect(jobEnv).toEqual({ NODE_ENV: 'production', DATABASE_URL: 'secret:builder-insights-gateway-database-migration/DATABASE_MIGRATION_URL' });
    expect(databaseTargetFromEnv(withSecrets(jobEnv))).toMatchObject({ driver: 'postgres' });
    expect(migrate?.args).toEqual(['db/cli/migrate.ts', '--grant-to', 'gateway_app']);
    expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'PreSync' });
    expect(field(job, 'spec', 'template', 'spec', 'restartPolicy')).toBe('Never');
  });
});

describe.each(OVERLAYS)('the environment %s gives the gateway', (target) => {
  const manifests = render(target);

  it('passes config.ts as a production Okta configuration, with the ports the manifests expose', () => {
    const config = loadConfig(withSecrets(containerEnvironment(gateway(manifests).container, manifests)));
    expect(config).toMatchObject({ production: true, migrateAtStart: false, demoData: false });
    expect(config.auth.mode).toBe('okta');
    expect(config.auth.issuer).toMatch(/^https:\/\/builder\.okta\.com\/oauth2\/aus-/);
    expect(config.http).toMatchObject({ host: '0.0.0.0', port: portNumber(manifests, 'http'), metricsPort: portNumber(manifests, 'metrics') });
    expect(config.shutdown).toEqual({ delayS: 10, drainS: 20 });
    expect(config.database).toMatchObject({ driver: 'postgres' });
  });
});

describe('the base alone', () => {
  it('is not deployable: config.ts refuses it for want of the issuer the overlays set', () => {
    const manifests = render('base');
    const env = withSecrets(containerEnvironment(gateway(manifests).container, manifests));
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['AUTH_ISSUER: is required under NODE_ENV=production', 'AUTH_ISSUER: is required when AUTH_MODE=okta']);
    }
  });
});

describe('config.ts variable names', () => {
  it('are read from its zod schema', () => {
    const names = configVariableNames();
    for (const name of ['PORT', 'AUTH_MODE', 'AUTH_ISSUER', 'DATABASE_URL', 'METRICS_PORT', 'SHUTDOWN_DELAY_S', 'SHUTDOWN_DRAIN_S', 'LOG_LEVEL', 'ORG_MAX_AGE_S']) {
      expect(names).toContain(name);
    }
    expect(names.size).toBeGreaterThanOrEqual(24);
  });
});

describe('no development issuer anywhere in k8s/', () => {
  it.each(yamlFiles().map((file) => [file.split('/k8s/')[1], file]))('%s', (_, file) => {
    expect(readFileSync(file, 'utf8')).not.toMatch(/AUTH_MODE\s*[=:]\s*["']?dev/);
  });
});

describe('planted policy violations are caught', () => {
  const prod = () => structuredClone(render('overlays/prod'));
  const gatewayOf = (manifests: Manifest[]) => gateway(manifests).container;
  const configOf = (manifests: Manifest[]) => objectOf(configMaps(manifests)[0]?.data);

  it('a missing readiness probe, a missing liveness probe, and a liveness as quick to fail as readiness', () => {
    const noProbes = prod();
    delete gatewayOf(noProbes).readinessProbe;
    delete gatewayOf(noProbes).livenessProbe;
    expect(probeProblems(noProbes)).toEqual([
      'Deployment builder-insights/builder-insights-gateway container gateway: no readinessProbe',
      'Deployment builder-insights/builder-insights-gateway container gateway: no livenessProbe',
    ]);
    const hasty = prod();
    objectOf(gatewayOf(hasty).livenessProbe).failureThreshold = 2;
    expect(probeProblems(hasty)).toEqual([expect.stringContaining('higher failureThreshold')]);
  });

  it('a container without limits', () => {
    const manifests = prod();
    delete objectOf(gatewayOf(manifests).resources).limits;
    expect(resourceProblems(manifests)).toEqual([
      'Deployment builder-insights/builder-insights-gateway container gateway: no resources.limits.cpu',
      'Deployment builder-insights/builder-insights-gateway container gateway: no resources.limits.memory',
    ]);
  });

  it('root, a writable root filesystem, privilege escalation and kept capabilities', () => {
    const manifests = prod();
    const spec = gateway(manifests).template.spec;
    spec.securityContext = { ...objectOf(spec.securityContext), runAsNonRoot: false, runAsUser: 0 };
    gatewayOf(manifests).securityContext = { readOnlyRootFilesystem: false, allowPrivilegeEscalation: true };
    expect(securityProblems(manifests)).toEqual([
      'Deployment builder-insights/builder-insights-gateway: pod securityContext.runAsNonRoot must be true',
      'Deployment builder-insights/builder-insights-gateway: pod securityContext.runAsUser must be a non-zero UID',
      'Deployment builder-insights/builder-insights-gateway container gateway: allowPrivilegeEscalation must be false',
      'Deployment builder-insights/builder-insights-gateway container gateway: readOnlyRootFilesystem must be true',
      'Deployment builder-insights/builder-insights-gateway container gateway: capabilities must drop ALL',
    ]);
  });

  it.each([
    ['registry.example.com/app:latest', 'uses the latest tag'],
    ['registry.example.com/app', 'has no tag'],
    ['registry.example.com/app:main', 'is not pinned'],
    ['app:1.0.0', 'names no registry'],
  ])('the image %s', (image, message) => {
    const manifests = prod();
    gatewayOf(manifests).image = image;
    expect(imageProblems(manifests, { registry: true })).toEqual([expect.stringContaining(message)]);
  });

  it('accepts an image pinned by digest', () => {
    const manifests = prod();
    gatewayOf(manifests).image = `registry.example.com/app@sha256:${'a'.repeat(64)}`;
    expect(imageProblems(manifests, { registry: true })).toEqual([]);
  });

  it.each([
    ['DB_PASSWORD', 'hunter2', 'secret-looking key'],
    ['OKTA_CLIENT_SECRET', 'x', 'secret-looking key'],
    ['API_TOKEN', 'x', 'secret-looking key'],
    ['DATABASE_URL', 'postgres://gateway:hunter2@db:5432/insights', 'comes from a Secret'],
    ['AUTH_JWKS_URI', 'https://user:pass@builder.okta.com/keys', 'URL with credentials'],
    ['SIGNING', '-----BEGIN PRIVATE KEY-----', 'looks like a key or token'],
  ])('a ConfigMap key %s', (key, value, message) => {
    const manifests = prod();
    configOf(manifests)[key] = value;
    expect(configMapSecretProblems(manifests)).toContainEqual(expect.stringContaining(message));
  });

  it('a grace period the drain does not fit in', () => {
    const manifests = prod();
    gateway(manifests).template.spec.terminationGracePeriodSeconds = 35;
    expect(gracePeriodProblems(manifests)).toEqual([
      'Deployment builder-insights/builder-insights-gateway: terminationGracePeriodSeconds 35 ≤ preStop 5 + SHUTDOWN_DELAY_S 10 + SHUTDOWN_DRAIN_S 20',
    ]);
    const longer = prod();
    configOf(longer).SHUTDOWN_DRAIN_S = '40';
    expect(gracePeriodProblems(longer)).toEqual([expect.stringContaining('SHUTDOWN_DRAIN_S 40')]);
  });

  it('a variable config.ts does not know, in a ConfigMap or on a container', () => {
    const manifests = prod();
    configOf(manifests).AUTH_ISSUERR = 'https://builder.okta.com/oauth2/aus-prod';
    configOf(manifests).OTEL_SERVICE_NAME = 'builder-insights-gateway';
    listOf(gatewayOf(manifests).env).push({ name: 'LOGLEVEL', value: 'debug' });
    expect(envKeyProblems(manifests)).toEqual([
      expect.stringMatching(/ConfigMap builder-insights\/builder-insights-gateway-config-\w+ AUTH_ISSUERR: not a variable config.ts knows/),
      'Deployment builder-insights/builder-insights-gateway container gateway LOGLEVEL: not a variable config.ts knows',
    ]);
  });

  it('the development issuer', () => {
    const manifests = prod();
    configOf(manifests).AUTH_MODE = 'dev';
    expect(devIssuerProblems(manifests)).toEqual([expect.stringMatching(/AUTH_MODE=dev$/)]);
  });
});
