import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployedNodeOptions } from '../../../bench/deployed.ts';

describe('deployedNodeOptions', () => {
  it('reads the heap size the base Deployment gives the gateway container', () => {
    expect(deployedNodeOptions()).toMatch(/^--max-old-space-size=\d+$/);
  });

  it('refuses a Deployment whose gateway sets none, rather than measuring V8 defaults', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'deployed-')), 'deployment.yaml');
    await writeFile(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: gateway\n          env:\n            - name: LOG_LEVEL\n              value: info\n        - name: sidecar\n          env:\n            - name: NODE_OPTIONS\n              value: --max-old-space-size=64\n',
    );
    expect(() => deployedNodeOptions(file)).toThrow(/sets no NODE_OPTIONS/);
  });
});
