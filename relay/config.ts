import { Command, InvalidArgumentError, Option } from 'commander';
import { isAutomergeUrl } from '../src/core/protocol/automerge-url.ts';
import { decodeInvite, type InvitePins } from '../src/core/protocol/invite.ts';
import { DEFAULT_COMMUNITY_NAME } from '../src/core/model/community-settings.ts';
import { MAX_OPS_PER_DOC } from '../src/core/sync/doc-op-ledger.ts';
import { parseByteSize } from './byte-size.ts';
import { normaliseOrigin } from './origin-check.ts';
import { configFileArgs, configFileOption } from './config-file.ts';
import { JOIN_POLICIES, type JoinPolicy } from './join-policy.ts';
import { isNodeId, parseRoute, RouteError, type StaticRoute } from './dtn/routing/static-routes.ts';
import { ROUTERS, SCHEMES, DEFAULT_SUMMARY_WAIT_MS, type RouterName, type Scheme } from './dtn/routing/per-peer.ts';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RelayConfig {
  port: number;
  host: string;
  dataDir: string;
  staticDir: string;
  tlsCert?: string;
  tlsKey?: string;
  nodeName: string;
  communityName: string;
  maxMessageBytes: number;
  /** The most Automerge ops one doc may grow to here (MAX_OPS_PER_DOC unless --max-doc-ops). */
  maxDocOps: number;
  /** Communities to serve that live elsewhere (automerge URL or invite); they arrive through a bridge. */
  join: string[];
  /** The founder and retirement an invite given to --join names, by community URL: the relay pins them (else the first it reads). */
  joinPins: Record<string, InvitePins>;
  /** Other relays' keys this relay names in the communities it founds: their change-sets are applied. */
  communityRelay: string[];
  tcpclHost?: string;
  tcpclPort: number;
  /** Offer TLS 1.3 on TCPCL (CAN_TLS); --no-tcpcl-tls turns it off. */
  tcpclTls: boolean;
  peer: PeerAddress[];
  reconnectMs: number;
  beaconPort?: number;
  beaconIface?: string;
  beaconTo: PeerAddress[];
  beaconIntervalMs?: number;
  beaconMac?: string;
  bridgeSocket?: string;
  storeBudget: number;
  /** Most bytes of carried hand-ins kept from one member (default: a sixteenth of --store-budget). */
  carryMemberBytes?: number;
  hopLimit: number;
  keepalive: number;
  /** `--route <pattern>=<node>`: bundles for matching destinations go to that peer (routing/static-routes.ts). */
  route: StaticRoute[];
  /** `--route epidemic|spray|prophet`: how peers that announce (our relays) are routed (routing/per-peer.ts). */
  router: RouterName;
  /** `--routing-for <node>=<scheme>`: a peer's scheme, whatever it speaks (routing/per-peer.ts). */
  routingFor: Array<[string, Scheme]>;
  /** How long a dtn:// peer has to send its summary vector before it is routed by push. */
  summaryWaitMs: number;
  /** How long a member's doc may stay unfound on the island before status counts it missing. */
  missingAfterMs: number;
  /** How often island-wide agents run over the served communities (0 = never). */
  agentsIntervalMs: number;
  /** Who may sync without an invite: as each community's organisers signed, nobody, or anyone (join-policy.ts). */
  joinPolicy: JoinPolicy;
  /** The first person to join a community must bring the relay's first-organiser invite even from this machine (relay/first-organiser.ts). */
  firstOrganiserLinkOnly?: boolean;
  /** How long an unfinished library upload keeps its room reserved without progress. */
  uploadReservationMs: number;
  /** The origin phones open (the same on every island); default: from --host, --port and TLS. */
  origin?: string;
  /** A plain-HTTP port for the community CA's install page (relay/ca-install-service.ts); HTTPS relays only. */
  installPort?: number;
  /** Seal the data dir under the passphrase in this file (relay/sealed-data.ts). */
  passphraseFile?: string;
}

export interface PeerAddress {
  host: string;
  port: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function int(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function hostPort(v: string, prev: PeerAddress[] = []): PeerAddress[] {
  const m = /^(\[[0-9a-f:.]+\]|[^:\s]+):(\d{1,5})$/i.exec(v);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new InvalidArgumentError('expected host:port');
  return [...prev, { host: m[1].replace(/^\[|\]$/g, ''), port }];
}

function byteSize(min: number) {
  return (v: string): number => {
    const n = parseByteSize(v);
    if (n instanceof Error) throw new InvalidArgumentError(n.message);
    if (n < min) throw new InvalidArgumentError(`at least ${min} bytes`);
    return n;
  };
}

/** The version operators report with a bug: package.json's, read where the relay runs from. */
function version(): string {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Data lives outside the checkout by default (an XDG state directory), so updating or deleting the code
 * never takes the community's data with it. A relay that already keeps data in the checkout's old `data/`
 * folder goes on using it: moving it silently would look like data loss.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, checkout = ROOT): string {
  const legacy = path.join(checkout, 'data');
  if (existsSync(legacy)) return legacy;
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(os.homedir(), '.local', 'state');
  return path.join(state, 'solarpunk-mesh', 'relay');
}

function origin(v: string): string {
  const o = normaliseOrigin(v);
  if (!o) throw new InvalidArgumentError('expected an origin such as https://mesh.lan or http://10.42.0.1:8080 (no path)');
  return o;
}

function mac(v: string): string {
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(v)) throw new InvalidArgumentError('expected a MAC address like 02:5a:00:00:00:0b');
  return v.toLowerCase();
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

/** One `--route` word: a router name, or a static route. */
type RouteWord = StaticRoute | { router: RouterName };

function route(v: string, prev: RouteWord[] = []): RouteWord[] {
  if ((ROUTERS as readonly string[]).includes(v.trim())) return [...prev, { router: v.trim() as RouterName }];
  try {
    return [...prev, parseRoute(v)];
  } catch (err) {
    if (err instanceof RouteError) throw new InvalidArgumentError(`${err.message} (or a router: ${ROUTERS.join(', ')})`);
    throw err;
  }
}

function routingFor(v: string, prev: Array<[string, Scheme]> = []): Array<[string, Scheme]> {
  const eq = v.lastIndexOf('=');
  const node = v.slice(0, eq).trim();
  const scheme = v.slice(eq + 1).trim();
  if (eq <= 0 || !isNodeId(node)) throw new InvalidArgumentError(`expected <peer node id>=${SCHEMES.join('|')}, e.g. ipn:977.0=push`);
  if (!(SCHEMES as readonly string[]).includes(scheme)) throw new InvalidArgumentError(`the scheme must be one of ${SCHEMES.join(', ')} (got ${scheme.slice(0, 20)})`);
  // Spray-and-wait and PRoPHET need the peer's announce, which only a dtn://name/ relay of ours sends.
  if ((scheme === 'spray' || scheme === 'prophet') && !node.startsWith('dtn://')) throw new InvalidArgumentError(`${scheme} needs a dtn:// peer that announces it; route ${node} by push or direct`);
  return [...prev, [node, scheme as Scheme]];
}

function nodeName(v: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/i.test(v)) throw new InvalidArgumentError('letters, digits and dashes only');
  return v;
}

export function buildCommand(): Command {
  return new Command('solarpunk-relay')
    .description('Solarpunk Mesh relay: serves the app to phones, syncs their documents, carries bundles between islands')
    .version(version(), '--version', 'print the relay version and exit')
    .option('--config <file>', 'JSON file of options by their long names (the command line wins)')
    .option('--port <n>', 'HTTP(S) port for phones', int(0, 65535), 8080)
    .option('--host <addr>', 'address to listen on', '0.0.0.0')
    .option('--data-dir <dir>', 'where documents and bundles are kept (default: $XDG_STATE_HOME/solarpunk-mesh/relay)', defaultDataDir())
    .option('--static-dir <dir>', 'the built PWA to serve', path.join(ROOT, 'dist'))
    .option('--passphrase-file <file>', 'seal documents, the relay key and served communities under the passphrase in this file (12+ characters; /dev/stdin to type it); the relay then cannot restart without it')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (needed for offline install off localhost)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--install-port <n>', 'also serve the certificate install page (/install, /ca.crt) over plain HTTP on this port, e.g. 80 (with --tls-cert)', int(0, 65535))
    .option('--origin <url>', 'the address phones open, the same on every island (e.g. https://mesh.lan); default from --host, --port and TLS', origin)
    .option('--node-name <name>', 'this relay’s DTN node name', nodeName, os.hostname().replace(/[^a-z0-9-]/gi, '-').slice(0, 63) || 'relay')
    .option('--community-name <name>', 'name of the default community created on first start', DEFAULT_COMMUNITY_NAME)
    .option('--max-message-bytes <size>', 'largest WebSocket message accepted from a phone (e.g. 16MiB)', byteSize(1024), 16 * 1024 * 1024)
    .option('--max-doc-ops <n>', 'most Automerge ops one document may grow to (about 350 bytes of memory each while it loads)', int(1, Number.MAX_SAFE_INTEGER), MAX_OPS_PER_DOC)
    .option('--join <url>', 'also serve this community (automerge URL or invite code); repeatable', collect, [])
    .option('--community-relay <key>', "another relay's key (its /api/info relay) to name in the communities this relay founds; repeatable", relayKey, [])
    .option('--tcpcl-port <n>', 'TCPCLv4 port for other relays (0 = any free port)', int(0, 65535), 4556)
    .option('--tcpcl-host <addr>', 'address for TCPCL (default: --host)')
    .option('--no-tcpcl-tls', 'do not offer TLS 1.3 to other relays (TCPCL stays plain with every peer)')
    .option('--peer <host:port>', 'static peer relay (TCPCL), dialled whenever the link is up; repeatable', hostPort, [])
    .option('--reconnect-ms <n>', 'how often to retry static peers', int(100, 3_600_000), 5000)
    .option('--beacon-port <n>', 'UDP port for relay beacons', int(1, 65535))
    .option('--beacon-iface <iface>', 'announce this relay by broadcast on this interface (e.g. bat0)')
    .option('--beacon-to <host:port>', 'announce this relay by unicast to this address; repeatable', hostPort, [])
    .option('--beacon-interval-ms <n>', 'beacon interval', int(100, 600_000))
    .option('--beacon-mac <mac>', "this node's mesh MAC as batman-adv lists it (lets the native bridge map originators to this relay)", mac)
    .option('--bridge-socket <path>', 'Unix socket where the native bridge reports contacts')
    .option('--store-budget <size>', 'bundle store budget (e.g. 2GiB, 500MB)', byteSize(1024 * 1024), 2 * 1024 ** 3)
    .option('--carry-member-bytes <size>', "most bytes of phones' carried hand-ins kept from one member (default: a sixteenth of --store-budget)", byteSize(1024))
    .option('--hop-limit <n>', 'hop limit for bundles this relay creates', int(1, 255), 20)
    .option('--agents-interval-ms <n>', 'how often island-wide agents run (0 = never)', int(0, 86_400_000), 60_000)
    .addOption(
      new Option(
        '--join-policy <policy>',
        'who may sync a community without an invite (members and holders of an invite always may): "community" (newcomers too once its organisers turn on open join in its signed settings), "invite" (never: this hub always asks for an invite, whatever the organisers chose) or "open" (anyone on the network, the organisers\' setting aside)',
      )
        .choices([...JOIN_POLICIES])
        .default('community'),
    )
    .option('--first-organiser-link-only', 'the first person to join a community nobody has joined must bring the invite this relay prints, even from this machine (set it behind a reverse proxy on the same machine)')
    .option('--upload-reservation-ms <n>', 'how long an unfinished library upload keeps its room without a chunk arriving', int(1000, 7 * 86_400_000), 600_000)
    .option('--route <router|pattern=node>', `the router for other relays (${ROUTERS.join(', ')}; default epidemic), or a static route: bundles whose destination matches the pattern (* = anything) go to this peer node only; repeatable`, route, [])
    .option('--routing-for <node=scheme>', `how to route to one peer, whatever it speaks: ${SCHEMES.join(', ')}; repeatable`, routingFor, [])
    .option('--summary-wait-ms <n>', 'how long a peer has to send its sketch or summary vector before it is sent everything by push', int(0, 600_000), DEFAULT_SUMMARY_WAIT_MS)
    .option('--missing-after-ms <n>', "how long a member's doc may stay unfound on this island before /api/status counts it missing", int(1000, 600_000), 60_000)
    .option('--keepalive <s>', 'TCPCL keepalive seconds (a silent contact ends after twice this)', int(0, 600), 15)
    .showHelpAfterError();
}

/**
 * The relay's options from its command line and optional config file. Errors, `--help` and `--version`
 * throw commander's CommanderError (its message already written) instead of exiting, so callers decide.
 */
export function parseConfig(argv: string[]): RelayConfig {
  const file = configFileOption(argv);
  let fromFile: string[] = [];
  if (file !== undefined) {
    const options = buildCommand().options.filter((o) => o.long && o.long !== '--config' && o.long !== '--version');
    const name = (o: (typeof options)[number]) => (o.long ?? '').replace(/^--/, '');
    // A switch takes no value (commander's isBoolean() leaves out the --no- forms, which are switches too).
    const isSwitch = (o: (typeof options)[number]) => !o.required && !o.optional;
    const known = new Set(options.filter((o) => !isSwitch(o)).map(name));
    const switches = new Set(options.filter(isSwitch).map(name));
    try {
      fromFile = configFileArgs(file, known, switches);
    } catch (err) {
      buildCommand().exitOverride().error((err as Error).message);
    }
  }
  const cmd = buildCommand().exitOverride().parse([...fromFile, ...argv], { from: 'user' });
  const o = cmd.opts<RelayConfig>();
  if (Boolean(o.tlsCert) !== Boolean(o.tlsKey)) cmd.error('--tls-cert and --tls-key go together');
  // Without TLS the app itself is on plain HTTP: the install page is on its port already.
  if (o.installPort !== undefined && !o.tlsCert) cmd.error('--install-port serves the install page beside HTTPS: it needs --tls-cert and --tls-key');
  if (o.installPort !== undefined && o.installPort !== 0 && o.installPort === o.port) cmd.error('--install-port must differ from --port');
  const joinPins: Record<string, InvitePins> = {};
  for (const v of o.join) {
    const inv = isAutomergeUrl(v) ? null : decodeInvite(v);
    if (inv?.founder || inv?.retirement) joinPins[inv.url] = { ...(inv.founder ? { founder: inv.founder } : {}), ...(inv.retirement ? { retirement: inv.retirement } : {}) };
  }
  const words = o.route as RouteWord[];
  const routers = [...new Set(words.flatMap((w) => ('router' in w ? [w.router] : [])))];
  if (routers.length > 1) cmd.error(`--route names more than one router (${routers.join(', ')}): choose one`);
  return {
    ...o,
    route: words.filter((w): w is StaticRoute => 'pattern' in w),
    router: routers[0] ?? 'epidemic',
    dataDir: path.resolve(o.dataDir),
    staticDir: path.resolve(o.staticDir),
    join: o.join.map(communityUrl),
    joinPins,
  };
}

function relayKey(v: string, prev: string[]): string[] {
  if (!/^[A-Za-z0-9_-]{43}$/.test(v)) throw new InvalidArgumentError(`--community-relay: not a relay key: ${v.slice(0, 60)}`);
  return [...prev, v];
}

/** Accepts an automerge URL or an invite code (spm-invite:…) as the app shows it. */
function communityUrl(v: string): string {
  if (isAutomergeUrl(v)) return v;
  const inv = decodeInvite(v);
  if (!inv) throw new InvalidArgumentError(`--join: not a community URL or invite: ${v.slice(0, 40)}`);
  return inv.url;
}
