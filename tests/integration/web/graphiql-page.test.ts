/**
 * The GraphiQL page over HTTP: served at /graphiql and at `/` for browsers, with its security
 * headers, and referring to nothing off this host (no CDN): every URL in the page and its own
 * scripts is relative to this origin, and every asset it names is served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_CSP } from '../../../web/graphiql.ts';
import { startHarness, type Harness, type HarnessResponse } from './harness.ts';

let dev: Harness;
let production: Harness;
let page: HarnessResponse;

beforeAll(async () => {
  dev = await startHarness();
  production = await startHarness({ production: true });
  page = await dev.fetch('/graphiql', { headers: { accept: 'text/html' } });
});
afterAll(async () => {
  await dev?.close();
  await production?.close();
});

/** Absolute http(s) URLs in attribute values or CSS url(), the ways a page loads something. */
function externalUrls(html: string): string[] {
  return [...html.matchAll(/(?:src|href|action)\s*=\s*["']?\s*(https?:)?\/\/[^"'\s>]+|url\(\s*["']?(https?:)?\/\/[^)]+\)/gi)].map((match) => match[0]);
}

function assetPaths(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
}

describe('the GraphiQL page', () => {
  it('is served at /graphiql as HTML with a strict CSP and no framing', () => {
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(GRAPHIQL_CSP);
    expect(GRAPHIQL_CSP).toContain("frame-ancestors 'none'");
    expect(GRAPHIQL_CSP).toContain("script-src 'self';");
    expect(GRAPHIQL_CSP).not.toMatch(/https?:|\*|unsafe-eval/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('refers to nothing off this host and runs no inline script', () => {
    expect(externalUrls(page.text)).toEqual([]);
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const script of page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      const [, attributes = '', body = ''] = script;
      if (body.trim() !== '') expect(attributes).toContain('type="application/json"');
      else expect(attributes).toMatch(/src="\/graphiql\/assets\//);
    }
  });

  it('serves every asset it names, from this host, with nosniff', async () => {
    const paths = assetPaths(page.text);
    expect(paths.length).toBeGreaterThanOrEqual(6);
    const config = JSON.parse(/<script id="bi-config" type="application\/json">([^<]*)<\/script>/.exec(page.text)?.[1] ?? '{}') as { workers: Record<string, string> };
    for (const path of [...paths, ...Object.values(config.workers)]) {
      expect(path.startsWith('/graphiql/assets/')).toBe(true);
      const asset = await dev.fetch(path);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('its own scripts load nothing from elsewhere', async () => {
    for (const name of ['app.js', 'monaco-env.js', 'app.css']) {
      const asset = await dev.fetch(`/graphiql/assets/${name}`);
      expect(asset.text).not.toMatch(/https?:\/\//);
    }
  });

  it('pre-loads the example operations as tabs', () => {
    const config = JSON.parse(/<script id="bi-config" type="application\/json">([^<]*)<\/script>/.exec(page.text)?.[1] ?? '{}') as {
      tabs: { query: string; variables?: string }[];
    };
    const names = config.tabs.map((tab) => /^query (\w+)/.exec(tab.query)?.[1]);
    expect(names).toEqual(['Me', 'Reports', 'ReportStats', 'ReportStats', 'ExplainAccess']);
    expect(config.tabs.map((tab) => tab.variables && JSON.parse(tab.variables))).toContainEqual({ groupBy: ['ORG_UNIT', 'WEEK'] });
    expect(config.tabs.map((tab) => tab.variables && JSON.parse(tab.variables))).toContainEqual({ groupBy: ['STATUS'] });
  });

  it('has the persona picker in dev mode only', async () => {
    expect(page.text).toContain('id="bi-persona"');
    expect(page.text).toContain('"devIssuer":"/dev-issuer"');
    const production_page = await production.fetch('/graphiql');
    expect(production_page.text).not.toContain('id="bi-persona"');
    expect(production_page.text).toContain('"devIssuer":null');
    expect(production_page.text).toContain('id="bi-token"');
  });

  it('is served at / to browsers (Accept: text/html) and not to API clients', async () => {
    const browser = await dev.fetch('/', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(browser.status).toBe(200);
    expect(browser.text).toBe(page.text);
    expect(browser.headers.get('content-security-policy')).toBe(GRAPHIQL_CSP);
    const api = await dev.fetch('/', { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
  });

  it('GET /graphql with Accept: text/html shows no landing page', async () => {
    const response = await dev.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(response.text).not.toMatch(/<html|graphiql|sandbox|explorer/i);
  });
});
