/**
 * Deployment policy for rendered manifests (issue 9): what a schema cannot say. Each check
 * returns "where: what" lines, empty when the manifests comply, so that a test can plant one
 * violation and see exactly that check fire.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config.ts';
import { isJsonObject, manifestId, type Json, type JsonObject, type Manifest } from '../../k8s/manifest.ts';
import { parseImage } from '../../k8s/render.ts';

const CONFIG_FILE = fileURLToPath(new URL('../../config.ts', import.meta.url));

/** The variables config.ts's zod schema declares (its `envSchema` object's keys). */
export function configVariableNames(source = readFileSync(CONFIG_FILE, 'utf8')): Set<string> {
  const start = source.indexOf('const envSchema = z.object({');
  const end = source.indexOf('\n});', start);
  if (start < 0 || end < 0) throw new Error('config.ts: the envSchema object was not found');
  return new Set([...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1] as string));
}

/** A workload's pod template, with where it came from. */
export interface PodTemplate {
  readonly owner: Manifest;
  readonly metadata: JsonObject;
  readonly spec: JsonObject;
}

export function podTemplates(manifests: readonly Manifest[]): PodTemplate[] {
  return manifests.flatMap((owner) => {
    const template = field(owner, 'spec', 'template');
    const spec = field(template, 'spec');
    return isJsonObject(template) && isJsonObject(spec) ? [{ owner, metadata: objectOf(field(template, 'metadata')), spec }] : [];
  });
}

export function containersOf(template: PodTemplate): JsonObject[] {
  return [...objectsOf(template.spec.initContainers), ...objectsOf(template.spec.containers)];
}

/** Long-running pods (Deployments) need probes; a Job's pod runs to completion. */
export function probeProblems(manifests: readonly Manifest[]): string[] {
  return servers(manifests).flatMap(({ owner, container }) => {
    const at = `${manifestId(owner)} container ${String(container.name)}`;
    const problems: string[] = [];
    const readiness = container.readinessProbe;
    const liveness = container.livenessProbe;
    if (!isJsonObject(readiness)) problems.push(`${at}: no readinessProbe`);
    if (!isJsonObject(liveness)) problems.push(`${at}: no livenessProbe`);
    if (!isJsonObject(readiness) || !isJsonObject(liveness)) return problems;
    if (field(readiness, 'httpGet', 'path') !== '/readyz') problems.push(`${at}: readinessProbe must GET /readyz`);
    if (field(liveness, 'httpGet', 'path') !== '/healthz') problems.push(`${at}: livenessProbe must GET /healthz`);
    if (numberOr(liveness.failureThreshold, 3) <= numberOr(readiness.failureThreshold, 3)) {
      problems.push(`${at}: livenessProbe needs a higher failureThreshold than readiness (restart only a stuck process)`);
    }
    return problems;
  });
}

export function resourceProblems(manifests: readonly Manifest[]): string[] {
  return everyContainer(manifests).flatMap(({ owner, container }) =>
    ['requests', 'limits'].flatMap((kind) =>
      ['cpu', 'memory']
        .filter((resource) => field(container, 'resources', kind, resource) === undefined)
        .map((resource) => `${manifestId(owner)} container ${String(container.name)}: no resources.${kind}.${resource}`),
    ),
  );
}

/** The restricted Pod Security Standard, plus no service account token and a read-only root. */
export function securityProblems(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  for (const template of podTemplates(manifests)) {
    const at = manifestId(template.owner);
    const pod = objectOf(template.spec.securityContext);
    if (pod.runAsNonRoot !== true) problems.push(`${at}: pod securityContext.runAsNonRoot must be true`);
    if (!(numberOr(pod.runAsUser, 0) > 0)) problems.push(`${at}: pod securityContext.runAsUser must be a non-zero UID`);
    if (template.spec.automountServiceAccountToken !== false) problems.push(`${at}: automountServiceAccountToken must be false`);
    for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) if (template.spec[host] === true) problems.push(`${at}: ${host} is set`);
    for (const container of containersOf(template)) {
      const where = `${at} container ${String(container.name)}`;
      const own = objectOf(container.securityContext);
      const seccomp = field(own, 'seccompProfile', 'type') ?? field(pod, 'seccompProfile', 'type');
      if (own.runAsNonRoot === false || (own.runAsUser !== undefined && !(numberOr(own.runAsUser, 0) > 0))) {
        problems.push(`${where}: runs as root`);
      }
      if (own.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
      if (own.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
      if (own.privileged === true) problems.push(`${where}: privileged`);
      if (!listOf(field(own, 'capabilities', 'drop')).includes('ALL')) problems.push(`${where}: capabilities must drop ALL`);
      if (listOf(field(own, 'capabilities', 'add')).length > 0) problems.push(`${where}: adds capabilities`);
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${where}: seccompProfile must be RuntimeDefault`);
    }
  }
  return problems;
}

const PINNED_TAG = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$|^[0-9a-f]{7,40}$/;

/** Tagged with a release (or a digest), never `latest`; `registry` also requires a registry host. */
export function imageProblems(manifests: readonly Manifest[], options: { registry: boolean }): string[] {
  return everyContainer(manifests).flatMap(({ owner, container }) => {
    const at = `${manifestId(owner)} container ${String(container.name)}`;
    if (typeof container.image !== 'string') return [`${at}: no image`];
    const { name, tag, digest } = parseImage(container.image);
    const problems: string[] = [];
    if (tag === 'latest') problems.push(`${at}: image ${container.image} uses the latest tag`);
    else if (!digest && !tag) problems.push(`${at}: image ${container.image} has no tag (means latest)`);
    else if (!digest && tag && !PINNED_TAG.test(tag)) problems.push(`${at}: image ${container.image} is not pinned to a release or commit`);
    const host = name.split('/')[0] ?? '';
    if (options.registry && (!name.includes('/') || !/[.:]|^localhost$/.test(host))) {
      problems.push(`${at}: image ${container.image} names no registry (would pull from Docker Hub)`);
    }
    return problems;
  });
}

const SECRET_KEY = /PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_?KEY|CLIENT_KEY/i;
const SECRET_VALUE = /-----BEGIN [A-Z ]*PRIVATE KEY-----|^eyJ[\w-]+\.[\w-]+\.|^(ghp|gho|xox[bp]|sk|AKIA)[A-Za-z0-9_-]{10,}/;

/** ConfigMaps hold no secret: no secret-named key, no URL with credentials, no key material. */
export function configMapSecretProblems(manifests: readonly Manifest[]): string[] {
  return configMaps(manifests).flatMap((map) =>
    Object.entries(objectOf(map.data)).flatMap(([key, value]) => {
      const at = `${manifestId(map)} ${key}`;
      const text = String(value);
      const problems: string[] = [];
      if (SECRET_KEY.test(key)) problems.push(`${at}: a secret-looking key belongs in a Secret`);
      if (key === 'DATABASE_URL') problems.push(`${at}: DATABASE_URL comes from a Secret (secretKeyRef)`);
      if (hasUrlCredentials(text)) problems.push(`${at}: the value is a URL with credentials`);
      if (SECRET_VALUE.test(text)) problems.push(`${at}: the value looks like a key or token`);
      return problems;
    }),
  );
}

function hasUrlCredentials(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return url.username !== '' || url.password !== '';
}

/** Variables Node reads itself, not config.ts. */
const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS']);

/** Every ConfigMap key and container variable is one config.ts reads (or a standard OTEL_*, or Node's own). */
export function envKeyProblems(manifests: readonly Manifest[], known = configVariableNames()): string[] {
  const unknown = (name: string) => !known.has(name) && !name.startsWith('OTEL_') && !RUNTIME_VARIABLES.has(name);
  const fromMaps = configMaps(manifests).flatMap((map) =>
    Object.keys(objectOf(map.data)).filter(unknown).map((key) => `${manifestId(map)} ${key}: not a variable config.ts knows`),
  );
  const fromContainers = everyContainer(manifests).flatMap(({ owner, container }) =>
    objectsOf(container.env)
      .map((variable) => String(variable.name))
      .filter(unknown)
      .map((name) => `${manifestId(owner)} container ${String(container.name)} ${name}: not a variable config.ts knows`),
  );
  return [...fromMaps, ...fromContainers];
}

/** Only Okta: AUTH_MODE=dev (the development issuer) appears nowhere. */
export function devIssuerProblems(manifests: readonly Manifest[]): string[] {
  const modes = [
    ...configMaps(manifests).map((map) => ({ at: manifestId(map), value: objectOf(map.data).AUTH_MODE })),
    ...everyContainer(manifests).flatMap(({ owner, container }) =>
      objectsOf(container.env)
        .filter((variable) => variable.name === 'AUTH_MODE')
        .map((variable) => ({ at: `${manifestId(owner)} container ${String(container.name)}`, value: variable.value })),
    ),
  ];
  return modes.filter(({ value }) => value !== undefined && value !== 'okta').map(({ at, value }) => `${at}: AUTH_MODE=${String(value)}`);
}

/**
 * SIGKILL must not cut the drain short: terminationGracePeriodSeconds (counted from the start of
 * preStop) above the preStop sleep + SHUTDOWN_DELAY_S + SHUTDOWN_DRAIN_S the pod runs with.
 */
export function gracePeriodProblems(manifests: readonly Manifest[]): string[] {
  return servers(manifests).map(({ owner, template, container }) => {
    const env = containerEnvironment(container, manifests);
    const defaults = loadConfig({ AUTH_MODE: 'dev' }).shutdown;
    const delay = numberOr(Number(env.SHUTDOWN_DELAY_S ?? defaults.delayS), 0);
    const drain = numberOr(Number(env.SHUTDOWN_DRAIN_S ?? defaults.drainS), 0);
    const preStop = numberOr(field(container, 'lifecycle', 'preStop', 'sleep', 'seconds'), 0);
    const grace = numberOr(template.spec.terminationGracePeriodSeconds, 30);
    const needed = preStop + delay + drain;
    return grace > needed ? '' : `${manifestId(owner)}: terminationGracePeriodSeconds ${grace} ≤ preStop ${preStop} + SHUTDOWN_DELAY_S ${delay} + SHUTDOWN_DRAIN_S ${drain}`;
  }).filter(Boolean);
}

/**
 * The environment a container starts with: its ConfigMaps' data (envFrom), then its own `env`.
 * A secretKeyRef shows as `secret:` followed by the Secret's name and key.
 */
export function containerEnvironment(container: JsonObject, manifests: readonly Manifest[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of objectsOf(container.envFrom)) {
    const name = field(source, 'configMapRef', 'name');
    const map = configMaps(manifests).find((item) => item.metadata.name === name);
    if (!map) throw new Error(`envFrom names ConfigMap ${String(name)}, which the manifests lack`);
    for (const [key, value] of Object.entries(objectOf(map.data))) env[key] = String(value);
  }
  for (const variable of objectsOf(container.env)) {
    const secret = objectOf(field(variable, 'valueFrom', 'secretKeyRef'));
    env[String(variable.name)] = typeof variable.value === 'string' ? variable.value : `secret:${String(secret.name)}/${String(secret.key)}`;
  }
  return env;
}

/** The Deployments' containers, with their pod template. */
export function servers(manifests: readonly Manifest[]): { owner: Manifest; template: PodTemplate; container: JsonObject }[] {
  return podTemplates(manifests.filter((manifest) => manifest.kind === 'Deployment')).flatMap((template) =>
    objectsOf(template.spec.containers).map((container) => ({ owner: template.owner, template, container })),
  );
}

function everyContainer(manifests: readonly Manifest[]): { owner: Manifest; container: JsonObject }[] {
  return podTemplates(manifests).flatMap((template) => containersOf(template).map((container) => ({ owner: template.owner, container })));
}

export function configMaps(manifests: readonly Manifest[]): Manifest[] {
  return manifests.filter((manifest) => manifest.kind === 'ConfigMap');
}

/** The value at a path of mapping keys, or undefined. */
export function field(value: Json | undefined, ...path: string[]): Json | undefined {
  let current = value;
  for (const key of path) current = isJsonObject(current) ? current[key] : undefined;
  return current;
}

export function objectOf(value: Json | undefined): JsonObject {
  return isJsonObject(value) ? value : {};
}

export function listOf(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

export function objectsOf(value: Json | undefined): JsonObject[] {
  return listOf(value).filter(isJsonObject);
}

function numberOr(value: Json | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
