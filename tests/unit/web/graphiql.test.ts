/** The GraphiQL page's parts (web/graphiql.ts): example tabs and the rendered HTML. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleTabs, renderGraphiQLPage } from '../../../web/graphiql.ts';

const EXAMPLES = readFileSync(new URL('../../../web/examples.graphql', import.meta.url), 'utf8');

describe('exampleTabs', () => {
  it('one tab per operation and variable set, comments dropped', () => {
    const tabs = exampleTabs(EXAMPLES);
    expect(tabs.map((tab) => [/^query (\w+)/.exec(tab.query)?.[1], tab.variables ? JSON.parse(tab.variables) : undefined])).toEqual([
      ['Me', undefined],
      ['Reports', { first: 10 }],
      ['ReportStats', { groupBy: ['STATUS'] }],
      ['ReportStats', { groupBy: ['ORG_UNIT', 'WEEK'] }],
      ['ExplainAccess', { action: 'publish', subjectType: 'Report' }],
    ]);
    expect(tabs.every((tab) => !tab.query.includes('#'))).toBe(true);
  });
});

describe('renderGraphiQLPage', () => {
  const config = { endpoint: '/graphql', devIssuer: null, title: 'T <x>', tabs: [{ query: '{ a }</script><script>alert(1)</script>' }], workers: {} };

  it('escapes the title and keeps the config block inert', () => {
    const html = renderGraphiQLPage(config, 'v1');
    expect(html).toContain('<title>T &#60;x&#62;</title>');
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html).toContain('\\u003c/script\\u003e');
    const block = /<script id="bi-config" type="application\/json">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(JSON.parse(block)).toEqual(config);
  });

  it('names only this host\'s assets, versioned', () => {
    const html = renderGraphiQLPage(config, 'abc123');
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^\/graphiql\/assets\/[\w.-]+\?v=abc123$/);
    expect(html).not.toContain('bi-persona');
  });
});
