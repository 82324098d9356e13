import type { RelayStatus } from '../src/core/protocol/routes.ts';
import { AdminService } from './admin/admin-service.ts';
import { AlertsService } from './alerts-service.ts';
import { CaInstallService } from './ca-install-service.ts';
import { CarryService } from './carry-service.ts';
import type { RelayConfig } from './config.ts';
import { DiscoveryService } from './discovery-service.ts';
import { DeploymentService } from './deployment-service.ts';
import { defaultOrigin } from './origin-check.ts';
import { DtnService } from './dtn-service.ts';
import { FeedPreviewService } from './feed-preview-service.ts';
import { FeedViews } from './feed-views.ts';
import { HttpService } from './http-service.ts';
import { InboxService } from './inbox-service.ts';
import { InfoService } from './info-service.ts';
import { IslandAgentsService } from './island-agents-service.ts';
import { LibraryService } from './library-service.ts';
import { memberCheck } from './library-members.ts';
import type { Logger } from './log.ts';
import { OpenJoinService } from './open-join-service.ts';
import { ReplicaService } from './replica-service.ts';
import type { RelayService } from './service.ts';
import { SessionsService } from './sessions-service.ts';

/**
 * Every relay service, in the order they start (each may use what an earlier one started; they close
 * in reverse). A new feature is one more entry here: its routes, status and lifecycle come with it.
 */
export function relayServices(cfg: RelayConfig, log: Logger, dataKey?: Uint8Array): { services: RelayService[]; http: HttpService; install: CaInstallService } {
  const replica = new ReplicaService(cfg, log, dataKey);
  const { rr, communities, directory } = replica;
  const dtn = new DtnService(cfg, rr, communities, log);
  // One reading of each member feed for discovery and the island agents alike.
  const feeds = new FeedViews();
  const http = new HttpService(cfg, log, () => services);
  // The community CA's install page (issue 21): on the relay's port, and on plain HTTP with --install-port.
  // Its plain listener starts before the HTTP service: until that listens, the configured port stands in.
  const appOrigin = () => cfg.origin ?? defaultOrigin(cfg.host, http.listening ? http.address.port : cfg.port, Boolean(cfg.tlsCert));
  const install = new CaInstallService(cfg, appOrigin, log);
  const services: RelayService[] = [
    replica,
    new SessionsService(cfg, replica, log),
    dtn,
    // The operator's send/recv/query, on a Unix socket in the data directory (relay/admin/).
    new AdminService(cfg, dtn, log),
    new InboxService(dtn, log, (key) => directory.isMemberAnywhere(key)),
    // Phones carrying bundles between islands (issue 21): a member takes and hands in bundles.
    new CarryService(cfg, dtn, log, (key) => directory.isMemberAnywhere(key), replica.files),
    new IslandAgentsService(cfg, replica, feeds, log),
    // A newcomer's first screenful while a big feed is still arriving (issue #20).
    new FeedPreviewService(replica, feeds),
    // Rapid-response alerts (issue 8): emergency bundles to dtn://<community>/~alerts.
    new AlertsService(dtn, replica, log),
    // Community library and discovery search across islands (issue 10).
    new LibraryService(cfg, dtn, log, memberCheck(rr, communities)),
    new DiscoveryService(dtn, rr, communities, feeds, log),
    // A newcomer without an invite, where a community's organisers opened it (relay/join-policy.ts).
    new OpenJoinService(replica, log),
    new InfoService(cfg, replica, dtn, () => statusOf(services)),
    install,
    // Listens once everything it routes to has started; closes (stops taking requests) before them.
    http,
    new DeploymentService(cfg, replica, http, log),
  ];
  return { services, http, install };
}

/** /api/status: every service's fields, in registry order. */
export function statusOf(services: readonly RelayService[]): RelayStatus {
  return Object.assign({ unsaved: 0, phones: 0 }, ...services.map((s) => s.status?.() ?? {})) as RelayStatus;
}
