/**
 * Structured logs: winston JSON lines with a typed category first, redaction in every
 * environment (tests exercise it too), nothing else writes to stdout.
 */
import winston from 'winston';
import { currentSpanId, currentTraceId } from './trace-context.ts';

export type LogCategory = 'gateway' | 'http' | 'auth' | 'policy' | 'audit' | 'org' | 'db';

/**
 * Keys whose values are never logged, matched on the key without `-`/`_` and case: any key
 * ending in authorization, cookie, token, secret, password, passphrase, apikey, privatekey or
 * credential(s) (`Proxy-Authorization`, `refresh_token`, `clientSecret`, `x-api-key` …).
 */
const SECRET_KEY = /(?:authorization|cookie|token|secret|password|passphrase|apikey|privatekey|credentials?)$/;
const isSecretKey = (key: string) => SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
const BEARER = /\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
/** `Authorization: Basic …`, `authorization=…` inside free text (a header dump, a URL). */
const AUTHORIZATION_VALUE = /(\bauthorization["']?\s*[:=]\s*["']?(?:(?:Basic|Bearer|Digest|Negotiate)\s+)?)[^\s"',;&[]+/gi;
/** Token-carrying query parameters: `access_token=…`, `id_token=…`, `refresh_token=…`, `token=…`. */
const TOKEN_PARAMETER = /(\b(?:access_token|id_token|refresh_token|token|client_secret)=)[^&\s"']+/gi;
const MAX_DEPTH = 8;

function redactString(value: string): string {
  return value
    .replace(AUTHORIZATION_VALUE, '$1[redacted]')
    .replace(BEARER, 'Bearer [redacted]')
    .replace(JWT, '[redacted-jwt]')
    .replace(TOKEN_PARAMETER, '$1[redacted]');
}

/**
 * Replaces secrets in any log value: by key (see SECRET_KEY), and by shape in strings (bearer
 * tokens, JWTs, authorization values, token query parameters). Deeper than MAX_DEPTH levels
 * (or a cycle) is cut off rather than passed through unredacted.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[truncated]';
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1), stack: redact(value.stack, depth + 1) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = isSecretKey(key) ? '[redacted]' : redact(item, depth + 1);
  return out;
}

const redaction = winston.format((info) => {
  for (const key of Object.keys(info)) {
    info[key] = isSecretKey(key) ? '[redacted]' : redact(info[key]);
  }
  return info;
});

export interface Logger {
  error(category: LogCategory, message: string, fields?: Record<string, unknown>): void;
  warn(category: LogCategory, message: string, fields?: Record<string, unknown>): void;
  info(category: LogCategory, message: string, fields?: Record<string, unknown>): void;
  debug(category: LogCategory, message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(options: { level: string; stream?: NodeJS.WritableStream }): Logger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  const base = winston.createLogger({
    level: options.level,
    format: winston.format.combine(winston.format.timestamp(), redaction(), winston.format.json()),
    transports: [transport],
  });
  // The trace is read here, synchronously in the caller's context (winston may format later).
  const at =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (category: LogCategory, message: string, fields: Record<string, unknown> = {}) => {
      // winston formats (and redacts) every entry before its transport drops those below the
      // level: a request line at info cost 3% of a request's CPU under LOG_LEVEL=warn.
      if (!base.isLevelEnabled(level)) return;
      const traceId = currentTraceId();
      const trace = traceId && fields.traceId === undefined ? { traceId, spanId: currentSpanId() } : {};
      base.log(level, message, { ...fields, ...trace, category });
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
