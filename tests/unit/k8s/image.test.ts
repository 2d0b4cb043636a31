/**
 * The container image, checked from its text (no Docker engine here): the Dockerfile rules of
 * issue 9, .dockerignore keeping exactly the runtime files in the build context, and the
 * image, the package and the manifests agreeing on the user, the entry points and the
 * runtime dependencies.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dockerfileProblems,
  dockerIgnores,
  execForm,
  finalStage,
  parseDockerfile,
  parseDockerignore,
  sourceClosure,
} from '../../support/k8s-dockerfile.ts';
import { field, listOf, objectsOf, podTemplates } from '../../support/k8s-policy.ts';
import { render, REPO_ROOT, TARGETS } from '../../support/k8s-tree.ts';

const DOCKERFILE = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const IGNORE = parseDockerignore(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));
const instructions = parseDockerfile(DOCKERFILE);
const final = finalStage(instructions);
const lastOf = (keyword: string) => final.filter((item) => item.keyword === keyword).at(-1);
const entrypoint = execForm(lastOf('ENTRYPOINT')?.args ?? '') ?? [];
const cmd = execForm(lastOf('CMD')?.args ?? '') ?? [];

/** What the entry point preloads with --import: relative files, and bare package names. */
const preloads = entrypoint.flatMap((word, index) => (entrypoint[index - 1] === '--import' ? [word] : []));

/** The scripts the manifests run: the first argument of every container (Deployment, Job). */
const scripts = [
  ...new Set(
    TARGETS.flatMap((target) =>
      podTemplates(render(target)).flatMap((template) => objectsOf(template.spec.containers).map((container) => String(listOf(container.args)[0]))),
    ),
  ),
];

describe('Dockerfile', () => {
  it('follows the image rules: multi-stage Node 22, pinned bases, npm ci --omit=dev, numeric non-root USER, NODE_ENV=production, exec-form node entrypoint, no HEALTHCHECK', () => {
    expect(dockerfileProblems(DOCKERFILE)).toEqual([]);
    expect(entrypoint.slice(0, 3)).toEqual(['/nodejs/bin/node', '--import', 'tsx']);
    expect(cmd).toEqual(['gateway.ts']);
  });

  it.each([
    ['a latest base image', (text: string) => text.replace('nodejs22-debian12:nonroot', 'nodejs22-debian12:latest'), /is not pinned/],
    ['an untagged base image', (text: string) => text.replace('nodejs22-debian12:nonroot', 'nodejs22-debian12'), /is not pinned/],
    ['a HEALTHCHECK', (text: string) => `${text}\nHEALTHCHECK CMD ["/nodejs/bin/node", "-e", "1"]\n`, /HEALTHCHECK/],
    ['no USER', (text: string) => text.replace(/^USER .*$/m, ''), /numeric non-root USER/],
    ['a named USER', (text: string) => text.replace(/^USER .*$/m, 'USER node'), /numeric non-root USER/],
    ['root', (text: string) => text.replace(/^USER .*$/m, 'USER 0'), /numeric non-root USER/],
    ['no NODE_ENV', (text: string) => text.replace(/^ENV NODE_ENV=production \\\n\s+TMPDIR=\/tmp$/m, 'ENV TMPDIR=/tmp'), /NODE_ENV=production/],
    ['a shell-form ENTRYPOINT', (text: string) => text.replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT node --import tsx'), /exec form/],
    ['npm as PID 1', (text: string) => text.replace(/^CMD .*$/m, 'CMD ["npm", "start"]'), /wrapper/],
    ['dev dependencies', (text: string) => text.replace('--omit=dev ', ''), /--omit=dev/],
    ['another Node', (text: string) => text.replace('nodejs22', 'nodejs20'), /is not Node 22/],
  ])('would catch %s', (_, plant, message) => {
    const planted = plant(DOCKERFILE);
    expect(planted).not.toBe(DOCKERFILE);
    expect(dockerfileProblems(planted)).toEqual([expect.stringMatching(message)]);
  });

  it('runs as the UID the manifests require', () => {
    const uid = Number(lastOf('USER')?.args.split(':')[0]);
    for (const target of TARGETS) {
      for (const template of podTemplates(render(target))) {
        expect(field(template.spec, 'securityContext', 'runAsUser')).toBe(uid);
        for (const container of objectsOf(template.spec.containers)) expect(field(container, 'securityContext', 'runAsUser')).toBe(uid);
      }
    }
  });

  it('preloads only production dependencies and files that exist (tsx must be a runtime dependency)', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const packages = preloads.filter((specifier) => !specifier.startsWith('.'));
    expect(packages).toContain('tsx');
    for (const name of packages) {
      const why = `${name} is preloaded by the image's ENTRYPOINT, which has production dependencies only: move it to "dependencies"`;
      expect(Object.keys(manifest.dependencies ?? {}), why).toContain(name);
    }
    for (const file of preloads.filter((specifier) => specifier.startsWith('.'))) expect(existsSync(join(REPO_ROOT, file)), file).toBe(true);
  });

  it('the scripts the image and the manifests run exist', () => {
    expect(scripts.sort()).toEqual(['db/cli/migrate.ts', 'gateway.ts']);
    for (const script of [...scripts, ...cmd]) expect(existsSync(join(REPO_ROOT, script)), script).toBe(true);
  });
});

describe('.dockerignore', () => {
  it.each(['node_modules', '.git', '.data', '.env', 'tests', 'k8s', 'coverage', 'Dockerfile', 'README.md'])('keeps %s out of the build context', (path) => {
    expect(dockerIgnores(IGNORE, path)).toBe(true);
  });

  it('keeps in everything the gateway, the migrations Job and the preloads load', () => {
    const entries = [...cmd, ...scripts, ...preloads.filter((specifier) => specifier.startsWith('.'))];
    const runtime = sourceClosure(REPO_ROOT, entries);
    expect(runtime).toEqual(expect.arrayContaining(['gateway.ts', 'config.ts', 'db/cli/migrate.ts', 'db/client.ts']));
    const migrations = readdirSync(join(REPO_ROOT, 'db/migrations'), { recursive: true, encoding: 'utf8' }).map((file) => `db/migrations/${file}`);
    const needed = [...runtime, ...migrations, 'package.json', 'package-lock.json', 'tsconfig.json'];
    expect(needed.filter((path) => dockerIgnores(IGNORE, path))).toEqual([]);
  });
});
