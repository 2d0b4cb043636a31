/**
 * Structured logs: winston JSON lines with a typed category first, redaction in every
 * environment (tests exercise it too), nothing else writes to stdout.
 */
import winston from 'winston';

export type LogCategory = 'gateway' | 'http' | 'auth' | 'policy' | 'audit' | 'org' | 'db';

const SECRET_KEYS = /^(authorization|cookie|set-cookie|token|access_?token|id_?token|password|secret|private_?key)$/i;
const BEARER = /\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** Replaces secrets in any log value: by key, and by shape (bearer tokens, JWTs) in strings. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(BEARER, 'Bearer [redacted]').replace(JWT, '[redacted-jwt]');
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1), stack: redact(value.stack, depth + 1) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = SECRET_KEYS.test(key) ? '[redacted]' : redact(item, depth + 1);
  return out;
}

const redaction = winston.format((info) => {
  for (const key of Object.keys(info)) {
    info[key] = SECRET_KEYS.test(key) ? '[redacted]' : redact(info[key]);
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
  const at =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (category: LogCategory, message: string, fields: Record<string, unknown> = {}) =>
      base.log(level, message, { ...fields, category });
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
