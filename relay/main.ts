import { parseConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startRelay } from './server.ts';

const log = createLogger();
const cfg = parseConfig(process.argv.slice(2));

startRelay(cfg, log).then(
  (relay) => {
    // stdout carries one machine-readable line so scripts and tests can find the port.
    process.stdout.write(JSON.stringify({ listening: relay.url, port: relay.port }) + '\n');
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      relay.close().then(
        () => process.exit(0),
        (err) => {
          log.error({ err: String(err) }, 'unclean shutdown');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  },
  (err) => {
    log.fatal({ err: String(err) }, 'relay failed to start');
    process.exit(1);
  },
);
