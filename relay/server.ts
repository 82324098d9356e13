import type { RelayConfig } from './config.ts';
import type { Logger } from './log.ts';
import { nodeSignatureCheck } from './ed25519.ts';
import { useSignatureCheck } from '../src/core/crypto/sign.ts';
import { closeServices, startServices } from './lifecycle.ts';
import type { RelayService } from './service.ts';
import { relayServices, statusOf } from './services.ts';
import { openDataKey, readPassphrase } from './sealed-data.ts';
import type { RelayStatus } from '../src/core/protocol/routes.ts';

export interface Relay {
  url: string;
  port: number;
  /** The plain-HTTP certificate install page's address (relay --install-port). */
  installUrl?: string;
  /** Every service, in the order they started (relay/services.ts). */
  services: readonly RelayService[];
  /** What GET /api/status answers. */
  status(): RelayStatus;
  /** Closes every service in reverse order: the HTTP listener first (after its requests in flight), the replica last. */
  close(): Promise<void>;
}

/** Starts every service of the registry in order; the HTTP service among them listens on cfg.host:cfg.port. */
export async function startRelay(cfg: RelayConfig, log: Logger): Promise<Relay> {
  useSignatureCheck(nodeSignatureCheck());
  // Sealed data dirs (--passphrase-file) are opened before anything reads them.
  const dataKey = await openDataKey(cfg.dataDir, cfg.passphraseFile === undefined ? undefined : readPassphrase(cfg.passphraseFile));
  if (dataKey) log.info({}, 'data dir sealed under the passphrase');
  const { services, http, install } = relayServices(cfg, log, dataKey);
  await startServices(services, log);
  return {
    ...http.address,
    ...(install.installUrl ? { installUrl: install.installUrl } : {}),
    services,
    status: () => statusOf(services),
    close: () => closeServices(services, log),
  };
}
