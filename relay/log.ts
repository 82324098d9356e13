import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stderr (one object per line) so stdout stays free for tools and tests. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', name = 'relay'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
