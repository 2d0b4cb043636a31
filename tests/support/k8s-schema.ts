/**
 * Validates manifests against the Kubernetes API schemas shipped by `kubernetes-models`
 * (generated from the API's OpenAPI document): types, enums, formats and required fields.
 *
 * Those validators accept unknown fields (the generated schemas set no additionalProperties:
 * false; a test below proves it), so a misspelt `imagePullPolicyy` would pass. The strict
 * check here finds unknown fields with the same schemas: the manifest is validated through
 * recording proxies, and a generated validator reads every property its schema declares
 * (`data.replicas`, `data.selector`, …) and enumerates the keys of map-typed values (labels,
 * resources). A key of a checked object that the validator neither read nor enumerated is not
 * in the schema. Objects the validator never looked inside (free-form values) are not judged.
 * tests/unit/k8s/schema.test.ts proves both directions on planted errors and on every real
 * manifest, so a kubernetes-models upgrade that changed this behaviour would fail loudly.
 */
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { isJsonObject, type Json, type Manifest } from '../../k8s/manifest.ts';

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(): void };
}

/** The kinds our manifests may use; anything else has no schema here and is an error. */
const MODELS: readonly ModelClass[] = [
  ConfigMap,
  Secret,
  Service,
  ServiceAccount,
  Deployment,
  HorizontalPodAutoscaler,
  Job,
  NetworkPolicy,
  PodDisruptionBudget,
];

const MODEL_BY_TYPE = new Map(MODELS.map((model) => [`${model.apiVersion}/${model.kind}`, model]));

/** Every schema problem of one manifest, as "path: message" lines (empty when valid). */
export function schemaProblems(manifest: Manifest): string[] {
  const model = MODEL_BY_TYPE.get(`${manifest.apiVersion}/${manifest.kind}`);
  if (!model) return [`(root): no schema for ${manifest.apiVersion} ${manifest.kind} (not a kind these manifests may use)`];
  const recorder = new ReadRecorder();
  const problems: string[] = [];
  try {
    model.prototype.validate.call(recorder.wrap(manifest));
  } catch (error) {
    problems.push(...describeValidationError(error));
  }
  problems.push(...recorder.unknownFields(manifest, '').map((path) => `${path}: unknown field`));
  return problems;
}

function describeValidationError(error: unknown): string[] {
  if (!(error instanceof Error)) throw error;
  const { errors } = error as Error & { errors?: unknown };
  if (!Array.isArray(errors)) throw error;
  return errors.map((item: { instancePath?: string; message?: string }) => `${item.instancePath || '(root)'}: ${item.message ?? 'invalid'}`);
}

interface Visit {
  readonly read: Set<string>;
  enumerated: boolean;
}

/** Wraps a JSON tree in proxies that remember which keys of which object were looked at. */
class ReadRecorder {
  private readonly visits = new WeakMap<object, Visit>();
  private readonly proxies = new WeakMap<object, object>();

  wrap<T extends Json>(value: T): T {
    if (typeof value !== 'object' || value === null) return value;
    const cached = this.proxies.get(value);
    if (cached) return cached as T;
    const proxy = new Proxy(value, {
      get: (target, key, receiver) => {
        if (typeof key === 'string') this.visit(target).read.add(key);
        const child: unknown = Reflect.get(target, key, receiver);
        return typeof child === 'object' && child !== null ? this.wrap(child as Json) : child;
      },
      has: (target, key) => {
        if (typeof key === 'string') this.visit(target).read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys: (target) => {
        this.visit(target).enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    this.proxies.set(value, proxy);
    return proxy;
  }

  private visit(target: object): Visit {
    let visit = this.visits.get(target);
    if (!visit) {
      visit = { read: new Set(), enumerated: false };
      this.visits.set(target, visit);
    }
    return visit;
  }

  /** JSON-pointer paths of keys the schema does not know. */
  unknownFields(value: Json, path: string): string[] {
    if (Array.isArray(value)) return value.flatMap((item, index) => this.unknownFields(item, `${path}/${index}`));
    if (!isJsonObject(value)) return [];
    const visit = this.visits.get(value);
    if (!visit) return [];
    return Object.entries(value).flatMap(([key, child]) => {
      const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!visit.enumerated && !visit.read.has(key)) return [at];
      return this.unknownFields(child, at);
    });
  }
}
