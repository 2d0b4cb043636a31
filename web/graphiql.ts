/**
 * GraphiQL served by the gateway itself (DESIGN §7: no CDN). The page is ours; the GraphiQL
 * bundle (React, GraphiQL 5, Monaco and its workers, fonts as data: URLs) comes from
 * `@graphql-yoga/render-graphiql`, whose bundle is served from this host as separate files
 * instead of being inlined, so the page's Content-Security-Policy needs no inline script.
 *
 * The page has a token field (paste an access token; it is kept in sessionStorage for the tab
 * and added as `Authorization: Bearer` to requests to /graphql) and, in dev mode only, a
 * persona picker that asks the development issuer (POST /dev-issuer/token) for a token. The
 * example operations of web/examples.graphql open as tabs.
 *
 * Routes: /graphiql, `/` for browsers (Accept: text/html), and /graphiql/assets/*. The bundle
 * (~9 MB) is loaded on the first request for the page or an asset, not at start.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import { sendJson } from '../http/respond.ts';
import type { Route } from '../http/server.ts';

const gzip = promisify(gzipCallback);

export const GRAPHIQL_PATH = '/graphiql';
const ASSETS = `${GRAPHIQL_PATH}/assets`;

export interface GraphiQLOptions {
  /** Dev mode (AUTH_MODE=dev): show the persona picker, which uses the development issuer. */
  readonly devPersonas: boolean;
  /** Where GraphQL requests go (same origin). */
  readonly endpoint?: string;
  /** Where the development issuer lives (same origin), for the persona picker. */
  readonly devIssuerPath?: string;
  readonly title?: string;
}

/** The Content-Security-Policy of the page: this host only; styles inline (React, Monaco). */
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
});

// ---------------------------------------------------------------------------------------------
// Example operations

export interface ExampleTab {
  readonly query: string;
  readonly variables?: string;
}

/** Tabs opened on first visit: each operation of web/examples.graphql, some with several variable sets. */
const EXAMPLE_VARIABLES: Readonly<Record<string, readonly Record<string, unknown>[]>> = Object.freeze({
  Me: [{}],
  Reports: [{ first: 10 }],
  ReportStats: [{ groupBy: ['STATUS'] }, { groupBy: ['ORG_UNIT', 'WEEK'] }],
  ExplainAccess: [{ action: 'publish', subjectType: 'Report' }],
});

export function exampleTabs(source: string): ExampleTab[] {
  const document = parse(source);
  const tabs: ExampleTab[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const operation: OperationDefinitionNode = definition;
    const query = print(operation);
    for (const variables of EXAMPLE_VARIABLES[operation.name?.value ?? ''] ?? [{}]) {
      tabs.push(Object.keys(variables).length > 0 ? { query, variables: JSON.stringify(variables, null, 2) } : { query });
    }
  }
  return tabs;
}

const EXAMPLES_FILE = new URL('./examples.graphql', import.meta.url);

// ---------------------------------------------------------------------------------------------
// The page

/** JSON that is safe inside a <script type="application/json"> block. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export interface PageConfig {
  readonly endpoint: string;
  readonly devIssuer: string | null;
  readonly title: string;
  readonly tabs: readonly ExampleTab[];
  readonly workers: Readonly<Record<string, string>>;
}

export function renderGraphiQLPage(config: PageConfig, assetVersion: string): string {
  const asset = (name: string) => `${ASSETS}/${name}?v=${assetVersion}`;
  const personaPicker = config.devIssuer
    ? `<label class="bi-field" id="bi-persona-field">Dev persona
        <select id="bi-persona" name="persona"><option value="">Pick a persona…</option></select>
      </label>`
    : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(config.title)}</title>
    <link rel="icon" href="${asset('favicon.ico')}" />
    <link rel="stylesheet" href="${asset('graphiql.css')}" />
    <link rel="stylesheet" href="${asset('app.css')}" />
  </head>
  <body>
    <header class="bi-bar">
      <strong class="bi-title">${escapeHtml(config.title)}</strong>
      <form id="bi-token-form" class="bi-field" autocomplete="off">
        <label for="bi-token">Access token</label>
        <input id="bi-token" name="token" type="password" autocomplete="off" spellcheck="false" placeholder="Paste a bearer token" />
        <button type="submit">Use token</button>
        <button type="button" id="bi-clear">Sign out</button>
      </form>
      ${personaPicker}
      <span id="bi-status" role="status" aria-live="polite"></span>
    </header>
    <main id="root"></main>
    <script id="bi-config" type="application/json">${scriptJson(config)}</script>
    <script src="${asset('monaco-env.js')}"></script>
    <script src="${asset('graphiql.js')}"></script>
    <script src="${asset('app.js')}"></script>
  </body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// Assets

interface Asset {
  readonly body: Buffer;
  readonly gzipped: Buffer | undefined;
  readonly contentType: string;
}

interface Bundle {
  readonly assets: ReadonlyMap<string, Asset>;
  readonly version: string;
}

const OWN_ASSETS = new URL('./assets/', import.meta.url);

async function asset(body: string | Buffer, contentType: string): Promise<Asset> {
  const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { body: buffer, gzipped: buffer.length > 1024 ? await gzip(buffer) : undefined, contentType };
}

async function loadBundle(): Promise<Bundle> {
  const graphiql = await import('@graphql-yoga/render-graphiql/graphiql');
  const favicon = graphiql.favicon.match(/^data:([^;]+);base64,(.*)$/);
  const files: [string, string | Buffer, string][] = [
    ['graphiql.js', graphiql.js, 'text/javascript; charset=utf-8'],
    ['graphiql.css', graphiql.css, 'text/css; charset=utf-8'],
    ['worker-editorWorkerService.js', graphiql.editorWorkerService, 'text/javascript; charset=utf-8'],
    ['worker-json.js', graphiql.jsonWorker, 'text/javascript; charset=utf-8'],
    ['worker-graphql.js', graphiql.graphqlWorker, 'text/javascript; charset=utf-8'],
    ['monaco-env.js', readFileSync(new URL('monaco-env.js', OWN_ASSETS)), 'text/javascript; charset=utf-8'],
    ['app.js', readFileSync(new URL('app.js', OWN_ASSETS)), 'text/javascript; charset=utf-8'],
    ['app.css', readFileSync(new URL('app.css', OWN_ASSETS)), 'text/css; charset=utf-8'],
    ...(favicon ? [['favicon.ico', Buffer.from(favicon[2] ?? '', 'base64'), favicon[1] ?? 'image/x-icon'] as [string, Buffer, string]] : []),
  ];
  const hash = createHash('sha256');
  const assets = new Map<string, Asset>();
  for (const [name, body, contentType] of files) {
    hash.update(name).update(body);
    assets.set(name, await asset(body, contentType));
  }
  return { assets, version: hash.digest('hex').slice(0, 12) };
}

function acceptsGzip(request: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
}

function sendAsset(request: IncomingMessage, response: ServerResponse, asset: Asset, headers: Record<string, string>): void {
  const gzipped = asset.gzipped && acceptsGzip(request) ? asset.gzipped : undefined;
  const body = gzipped ?? asset.body;
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': asset.contentType,
    'content-length': String(body.length),
    vary: 'Accept-Encoding',
    ...(gzipped ? { 'content-encoding': 'gzip' } : {}),
    ...headers,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

export function acceptsHtml(request: IncomingMessage): boolean {
  return /\btext\/html\b/.test(String(request.headers.accept ?? ''));
}

/** The routes of GraphiQL: the page at /graphiql and (for browsers) at `/`, and its assets. */
export function graphiqlRoutes(options: GraphiQLOptions): [string, Route][] {
  let loading: Promise<{ bundle: Bundle; page: Asset }> | undefined;
  const load = () =>
    (loading ??= (async () => {
      const bundle = await loadBundle();
      const config: PageConfig = {
        endpoint: options.endpoint ?? '/graphql',
        devIssuer: options.devPersonas ? (options.devIssuerPath ?? '/dev-issuer') : null,
        title: options.title ?? 'Builder Insights GraphiQL',
        tabs: exampleTabs(readFileSync(EXAMPLES_FILE, 'utf8')),
        workers: Object.fromEntries(
          ['editorWorkerService', 'json', 'graphql'].map((label) => [label, `${ASSETS}/worker-${label}.js?v=${bundle.version}`]),
        ),
      };
      return { bundle, page: await asset(renderGraphiQLPage(config, bundle.version), 'text/html; charset=utf-8') };
    })().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));

  const pageHeaders = {
    'content-security-policy': GRAPHIQL_CSP,
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
  };
  const page: Route = {
    methods: ['GET', 'HEAD'],
    handler: async (request, response) => sendAsset(request, response, (await load()).page, pageHeaders),
  };
  const root: Route = {
    methods: ['GET', 'HEAD'],
    handler: async (request, response) => {
      if (!acceptsHtml(request)) return sendJson(response, 404, { error: 'not found' });
      sendAsset(request, response, (await load()).page, { ...pageHeaders, vary: 'Accept, Accept-Encoding' });
    },
  };
  const assetNames = [
    'graphiql.js',
    'graphiql.css',
    'worker-editorWorkerService.js',
    'worker-json.js',
    'worker-graphql.js',
    'monaco-env.js',
    'app.js',
    'app.css',
    'favicon.ico',
  ];
  const assetRoutes = assetNames.map((name): [string, Route] => [
    `${ASSETS}/${name}`,
    {
      methods: ['GET', 'HEAD'],
      handler: async (request, response) => {
        const { bundle } = await load();
        const found = bundle.assets.get(name);
        if (!found) return sendJson(response, 404, { error: 'not found' });
        // URLs carry the bundle's hash (?v=), so a changed bundle is a new URL.
        sendAsset(request, response, found, { 'cache-control': 'public, max-age=86400' });
      },
    },
  ]);
  return [[GRAPHIQL_PATH, page], ['/', root], ...assetRoutes];
}
