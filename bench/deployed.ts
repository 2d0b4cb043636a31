/**
 * The Node options the base Deployment runs the gateway with (k8s/base/deployment.yaml), so the
 * benchmark measures the runtime as deployed rather than V8's defaults on a 24 GiB machine.
 */
import { z } from 'zod';
import { readYamlDocuments } from '../k8s/manifest.ts';
import { ROOT } from './processes.ts';

const deployment = z.looseObject({
  kind: z.literal('Deployment'),
  spec: z.looseObject({
    template: z.looseObject({
      spec: z.looseObject({
        containers: z.array(z.looseObject({ name: z.string(), env: z.array(z.looseObject({ name: z.string(), value: z.string().optional() })).optional() })),
      }),
    }),
  }),
});

export function deployedNodeOptions(file = `${ROOT}/k8s/base/deployment.yaml`): string {
  for (const document of readYamlDocuments(file)) {
    const parsed = deployment.safeParse(document);
    if (!parsed.success) continue;
    const gateway = parsed.data.spec.template.spec.containers.find((container) => container.name === 'gateway');
    const options = gateway?.env?.find((variable) => variable.name === 'NODE_OPTIONS')?.value;
    if (options !== undefined) return options;
  }
  throw new Error(`${file}: the gateway container sets no NODE_OPTIONS`);
}
