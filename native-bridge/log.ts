import { pino, type Logger } from 'pino';

/**
 * The bridge's own structured JSON logs on stderr, one object a line (stdout carries contact events
 * with --stdout). Its own file so the bridge depends on no relay module.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'bridge', level, base: { pid: process.pid } }, pino.destination(2));
}
