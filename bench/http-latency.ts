/**
 * `npx tsx bench/http-latency.ts URL EMAIL LABEL`: sequential latency of the dashboard-style
 * operations (W1 page with author and unit, W1 with totalCount, W3, W4) against a running
 * dev-mode gateway, as the person with EMAIL (a token minted by the gateway's dev issuer).
 * A rough probe until the autocannon benchmark (issue 10) exists; figures in the issue notes.
 */
const [url, email, name] = process.argv.slice(2);
const token = ((await (await fetch(`${url}/dev-issuer/token`, { method: 'POST', body: JSON.stringify({ persona: email }) })).json()) as { access_token: string }).access_token;
const queries: Record<string, string> = {
  W1: '{ reports(first: 50) { edges { node { id title author { id displayName } orgUnit { id name } } } } }',
  W1count: '{ reports(first: 50) { totalCount edges { node { id } } } }',
  W3: '{ reportStats(groupBy: [STATUS]) { status count } }',
  W4: '{ reportStats(groupBy: [ORG_UNIT, WEEK]) { orgUnit { id } week count } }',
};
for (const [key, query] of Object.entries(queries)) {
  const times: number[] = [];
  for (let i = 0; i < (key === 'W1' ? 40 : 6); i++) {
    const t = performance.now();
    const r = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    const body = await r.json() as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(name, key, 'p50', times[Math.floor(times.length / 2)]!.toFixed(1), 'ms', 'max', times.at(-1)!.toFixed(1));
}
