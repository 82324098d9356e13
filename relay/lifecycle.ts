import type { Logger } from './log.ts';
import type { RelayService } from './service.ts';

/**
 * Starts `services` in order. When one fails, those already begun (the failing one too: it may have
 * opened something before it threw) are closed in reverse, and the failure is thrown naming the service.
 */
export async function startServices(services: readonly RelayService[], log: Logger): Promise<void> {
  for (const [i, s] of services.entries()) {
    try {
      await s.start();
      log.debug({ service: s.name }, 'service started');
    } catch (err) {
      await closeServices(services.slice(0, i + 1), log).catch(() => undefined);
      throw new Error(`${s.name} service failed to start: ${(err as Error).message ?? String(err)}`, { cause: err });
    }
  }
}

/**
 * Closes `services` in reverse order, each after the one that came later has finished closing. One
 * that fails to close does not keep the others open: all are closed, then the failures are thrown.
 */
export async function closeServices(services: readonly RelayService[], log: Logger): Promise<void> {
  const failed: string[] = [];
  for (const s of [...services].reverse()) {
    try {
      await s.close();
    } catch (err) {
      log.error({ service: s.name, err: String(err) }, 'service did not close cleanly');
      failed.push(`${s.name}: ${String(err)}`);
    }
  }
  if (failed.length) throw new Error(`services did not close cleanly (${failed.join('; ')})`);
}
