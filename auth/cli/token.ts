/**
 * `npm run token -- <persona or email>`: prints a development access token (AUTH_MODE=dev).
 * Personas: builder, teammate, manager, director, vp, analyst, auditor, admin, second-admin,
 * outsider, inactive, dashboard. Uses the key file the running dev gateway publishes.
 */
import { devIssuerConfigFromEnv } from '../../config.ts';
import { devIssuerUrl, mintForPersona } from '../dev-personas.ts';
import { loadDevIssuer } from '../dev-issuer.ts';

const [who] = process.argv.slice(2);
if (!who) {
  process.stderr.write('usage: npm run token -- <persona or email>\n');
  process.exit(2);
}
const config = devIssuerConfigFromEnv();
const issuer = await loadDevIssuer({ keyFile: config.keyFile });
const token = await mintForPersona(issuer, who, devIssuerUrl(config.port), config.audience);
if (!token) {
  process.stderr.write(`unknown persona ${JSON.stringify(who)}: give a persona key or an email\n`);
  process.exit(2);
}
process.stdout.write(`${token}\n`);
