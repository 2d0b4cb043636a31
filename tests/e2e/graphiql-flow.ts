/**
 * The browser part of the GraphiQL test (tests/e2e/graphiql.test.ts): Debian's Chromium driven by
 * playwright-core, with a fresh profile, recording every request the page and its workers make.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Response } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

const LAUNCH_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface GraphiQLRun {
  /** Every URL the browser requested, in order. */
  readonly requests: string[];
  /** Requested URLs whose origin is not the gateway's (data: URLs aside). */
  readonly offHost: string[];
  /** Console messages about a Content-Security-Policy refusal. */
  readonly cspViolations: string[];
  /** The JSON body GraphiQL received for the Reports operation. */
  readonly reports: { data?: { reports?: { totalCount: number; edges: { node: { title: string } }[] } }; errors?: unknown[] };
  /** The text shown in GraphiQL's result pane. */
  readonly resultText: string;
  readonly status: string;
}

/** Opens GraphiQL at `baseUrl`, picks `persona`, runs the pre-loaded Reports tab. */
export async function runGraphiQL(baseUrl: string, persona: string): Promise<GraphiQLRun> {
  const origin = new URL(baseUrl).origin;
  const profile = mkdtempSync(join(tmpdir(), 'bi-e2e-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: LAUNCH_FLAGS,
      viewport: { width: 1400, height: 900 },
    });
    const requests: string[] = [];
    const cspViolations: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('worker', (worker) => requests.push(worker.url()));

    await page.goto(`${baseUrl}/graphiql`, { waitUntil: 'load' });
    const picker = page.locator('#bi-persona');
    await picker.locator(`option[value="${persona}"]`).waitFor({ state: 'attached', timeout: 15_000 });
    // Picking a persona fetches a token and reloads the page as that persona.
    await Promise.all([page.waitForEvent('load', { timeout: 15_000 }), picker.selectOption(persona)]);
    await page.locator('#bi-status', { hasText: `Signed in as ${persona}` }).waitFor({ timeout: 15_000 });

    await page.locator('.graphiql-tab-button', { hasText: /^Reports$/ }).click({ timeout: 30_000 });
    await page.locator('.graphiql-tab-active', { hasText: /^Reports/ }).waitFor({ timeout: 15_000 });
    await page.locator('.graphiql-query-editor', { hasText: 'reports(first' }).waitFor({ timeout: 15_000 });
    // GraphiQL may still be busy (schema, workers) on a loaded machine: click again until it runs.
    const isReports = (candidate: Response) =>
      new URL(candidate.url()).pathname === '/graphql' && /\bquery Reports\b/.test(candidate.request().postData() ?? '');
    let response: Response | undefined;
    for (let attempt = 0; attempt < 4 && !response; attempt += 1) {
      const waiting = page.waitForResponse(isReports, { timeout: 15_000 }).catch(() => undefined);
      await page.locator('.graphiql-execute-button').click();
      response = await waiting;
    }
    if (!response) throw new Error('GraphiQL did not send the Reports operation');
    const reports = (await response.json()) as GraphiQLRun['reports'];
    const resultPane = page.locator('.graphiql-response');
    const firstTitle = reports.data?.reports?.edges[0]?.node.title;
    await resultPane.getByText(firstTitle ?? 'totalCount').first().waitFor({ timeout: 15_000 });
    // Monaco renders spaces as no-break spaces.
    const resultText = (await resultPane.innerText()).replace(/\u00a0/g, ' ');
    const status = (await page.locator('#bi-status').textContent()) ?? '';
    const offHost = requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
    return { requests, offHost, cspViolations, reports, resultText, status };
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
