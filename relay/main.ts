import { CommanderError } from 'commander';
import { parseConfig, type RelayConfig } from './config.ts';
import { lockDataDir } from './data-lock.ts';
import { createLogger } from './log.ts';
import { startRelay, type Relay } from './server.ts';
import { SealedDataError } from './sealed-data.ts';
import { ADMIN_COMMANDS, runAdminCommand } from './admin/cli.ts';

// `send`, `recv` and `query` are operator commands for the relay already running (relay/admin/).
if (ADMIN_COMMANDS.has(process.argv[2] ?? '')) {
  // A reader that stops early (`query bundles | head`) closes the pipe: that ends the output, not in a crash.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? 0 : 1));
  const code = await runAdminCommand(process.argv.slice(2));
  await new Promise((resolve) => process.stdout.write('', resolve));
  process.exit(code);
}

const log = createLogger();
let cfg: RelayConfig;
try {
  cfg = parseConfig(process.argv.slice(2));
} catch (err) {
  // --help, --version and option errors: commander has already said what it had to.
  if (err instanceof CommanderError) process.exit(err.exitCode);
  throw err;
}

let relay: Relay | undefined;
let stopping = false;

/*
 * Last resort, not the fix: every path that handles input catches its own errors. Should one slip
 * through anyway, a relay that people depend on logs it and keeps serving rather than going dark.
 */
process.on('unhandledRejection', (reason) => {
  log.error({ err: String(reason), stack: (reason as Error | undefined)?.stack }, 'unhandled rejection (relay keeps running)');
});
process.on('uncaughtException', (err) => {
  log.error({ err: String(err), stack: err.stack }, 'uncaught exception (relay keeps running)');
});

// A second relay on the same data dir is a configuration error: refuse at start, clearly.
let lock: { release(): void };
try {
  lock = lockDataDir(cfg.dataDir);
} catch (err) {
  log.fatal({ err: String(err) }, 'relay failed to start');
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}

/** Signal handlers are installed before start-up, so a SIGTERM at any moment is a clean shutdown. */
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  (relay ? relay.close() : Promise.resolve()).then(
    () => {
      lock.release();
      process.exit(0);
    },
    (err) => {
      log.error({ err: String(err) }, 'unclean shutdown');
      lock.release();
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
    process.stdout.write(JSON.stringify({ listening: r.url, port: r.port, ...(r.installUrl ? { install: r.installUrl } : {}) }) + '\n');
    if (stopping)
      void r.close().finally(() => {
        lock.release();
        process.exit(0);
      });
  },
  (err) => {
    log.fatal({ err: String(err) }, 'relay failed to start');
    // Configuration the operator must fix (a sealed data dir without its passphrase, say): said plainly.
    if (err instanceof SealedDataError) process.stderr.write(`${err.message}\n`);
    lock.release();
    process.exit(1);
  },
);
