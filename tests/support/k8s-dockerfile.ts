/**
 * Lints the Dockerfile text (no Docker engine exists here to build it) and reads .dockerignore,
 * for tests/unit/k8s/image.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

/** Instructions in order: comments and blank lines dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (pending !== '' && line.trimStart().startsWith('#')) return; // comments inside a continuation
    if (pending === '') startLine = index + 1;
    const continued = line.endsWith('\\');
    pending += `${continued ? line.slice(0, -1) : line} `;
    if (continued) return;
    const [keyword = '', ...rest] = pending.trim().split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: startLine });
    pending = '';
  });
  return instructions;
}

/** The instructions of the last stage (from its FROM on). */
export function finalStage(instructions: readonly Instruction[]): Instruction[] {
  const lastFrom = instructions.map((item) => item.keyword).lastIndexOf('FROM');
  return instructions.slice(Math.max(lastFrom, 0));
}

/** An exec-form (JSON array) argument list, or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** ARG defaults declared before the first FROM, for resolving `${NODE_VERSION}`-style images. */
function globalArgs(instructions: readonly Instruction[]): Map<string, string> {
  const args = new Map<string, string>();
  for (const item of instructions) {
    if (item.keyword === 'FROM') break;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(\S+)$/.exec(item.args);
    if (item.keyword === 'ARG' && match) args.set(match[1] as string, match[2] as string);
  }
  return args;
}

/** The image each FROM names (ARG defaults substituted, `AS name` and flags dropped). */
export function baseImages(instructions: readonly Instruction[]): string[] {
  const args = globalArgs(instructions);
  return instructions
    .filter((item) => item.keyword === 'FROM')
    .map((item) => {
      const image = item.args.split(/\s+/).find((word) => !word.startsWith('--')) ?? '';
      return image.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => args.get(name) ?? `\${${name}}`);
    });
}

/** Whether a .dockerignore pattern list keeps a path (relative, `/`-separated) out of the context. */
export function dockerIgnores(patterns: readonly string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    if (matchesPattern(pattern, path)) ignored = !negated;
  }
  return ignored;
}

export function parseDockerignore(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Docker's rule: a pattern matches the path itself or any of its parent directories. */
function matchesPattern(pattern: string, path: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('**')
      .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
      .join('.*')}$`,
  );
  const segments = path.split('/');
  return segments.some((_, index) => regex.test(segments.slice(0, index + 1).join('/')));
}

/** `ENV A=b C=d` (and the legacy `ENV A b`) as pairs. */
export function envPairs(args: string): Record<string, string> {
  if (!args.includes('=')) {
    const [key = '', ...rest] = args.split(/\s+/);
    return { [key]: rest.join(' ') };
  }
  return Object.fromEntries([...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)].map((match) => [match[1], (match[2] as string).replace(/^"|"$/g, '')]));
}

const WRAPPERS = /^(npm|npx|yarn|pnpm|sh|bash|\/bin\/sh|\/bin\/bash)$/;

/** The image rules of issue 9, as "line N: problem" strings (empty when the Dockerfile complies). */
export function dockerfileProblems(text: string): string[] {
  const instructions = parseDockerfile(text);
  const problems: string[] = [];
  const froms = instructions.filter((item) => item.keyword === 'FROM');
  if (froms.length < 2) problems.push('multi-stage build expected (dependencies installed in a stage of their own)');
  baseImages(instructions).forEach((image, index) => {
    const line = froms[index]?.line ?? 0;
    const [withTag = '', digest] = image.split('@');
    const colon = withTag.lastIndexOf(':');
    const tag = colon > withTag.lastIndexOf('/') ? withTag.slice(colon + 1) : undefined;
    if (image.includes('${')) problems.push(`line ${line}: ${image} uses an ARG with no default`);
    else if (!digest && (!tag || tag === 'latest')) problems.push(`line ${line}: ${image} is not pinned (no tag, or latest)`);
    if (!/(^|\/)node:22[.-]|nodejs22/.test(image)) problems.push(`line ${line}: ${image} is not Node 22`);
  });
  for (const item of instructions) {
    if (item.keyword === 'HEALTHCHECK') problems.push(`line ${item.line}: HEALTHCHECK (Kubernetes probes do this)`);
    if (item.keyword === 'RUN' && /\bnpm (install|i)\b/.test(item.args)) problems.push(`line ${item.line}: npm install (use npm ci with the lock file)`);
  }
  if (!instructions.some((item) => item.keyword === 'RUN' && /\bnpm ci\b/.test(item.args) && /--omit=dev\b/.test(item.args))) {
    problems.push('production dependencies only: npm ci --omit=dev expected');
  }
  const final = finalStage(instructions);
  const users = final.filter((item) => item.keyword === 'USER');
  const user = users.at(-1)?.args ?? '';
  if (!/^\d+(:\d+)?$/.test(user) || Number(user.split(':')[0]) === 0) {
    problems.push(`final stage must end as a numeric non-root USER (got ${JSON.stringify(user)})`);
  }
  const env = Object.assign({}, ...final.filter((item) => item.keyword === 'ENV').map((item) => envPairs(item.args))) as Record<string, string>;
  if (env.NODE_ENV !== 'production') problems.push('final stage must set ENV NODE_ENV=production');
  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    const item = final.filter((instruction) => instruction.keyword === keyword).at(-1);
    if (!item) {
      if (keyword === 'ENTRYPOINT') problems.push('final stage has no ENTRYPOINT');
      continue;
    }
    const words = execForm(item.args);
    if (!words) {
      problems.push(`line ${item.line}: ${keyword} must be exec form (JSON array), so node is PID 1 and gets SIGTERM`);
      continue;
    }
    if (words.some((word) => WRAPPERS.test(word))) problems.push(`line ${item.line}: ${keyword} runs through a wrapper (${words.join(' ')})`);
    if (keyword === 'ENTRYPOINT' && !/(^|\/)node$/.test(words[0] ?? '')) problems.push(`line ${item.line}: ENTRYPOINT must start node itself`);
  }
  return problems;
}

/**
 * The project files an entry point loads: itself and every relative `.ts` import, followed
 * transitively (static and dynamic imports), as paths relative to the root.
 */
export function sourceClosure(root: string, entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const pending = entries.map((entry) => resolve(root, entry));
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+\.ts)['"]/g)) {
      pending.push(join(dirname(file), match[1] as string));
    }
  }
  return [...seen].map((file) => relative(root, file)).sort();
}
