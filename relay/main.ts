import { parseConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startRelay, type Relay } from './server.ts';

const log = createLogger();
const cfg = parseConfig(process.argv.slice(2));

let relay: Relay | undefined;
let stopping = false;

/** Signal handlers are installed before start-up, so a SIGTERM at any moment is a clean shutdown. */
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  (relay ? relay.close() : Promise.resolve()).then(
    () => process.exit(0),
    (err) => {
      log.error({ err: String(err) }, 'unclean shutdown');
      process.exit(1);
    },
  );
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

startRelay(cfg, log).then(
  (r) => {
    relay = r;
    // stdout carries one machine-readable line so scripts and tests can find the port.
    process.stdout.write(JSON.stringify({ listening: r.url, port: r.port }) + '\n');
    if (stopping) void r.close().then(() => process.exit(0));
  },
  (err) => {
    log.fatal({ err: String(err) }, 'relay failed to start');
    process.exit(1);
  },
);
