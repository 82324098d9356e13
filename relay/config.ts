import { Command, InvalidArgumentError } from 'commander';
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
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function int(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function nodeName(v: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/i.test(v)) throw new InvalidArgumentError('letters, digits and dashes only');
  return v;
}

export function buildCommand(): Command {
  return new Command('solarpunk-relay')
    .description('Solarpunk Mesh relay: serves the app to phones, syncs their documents, carries bundles between islands')
    .option('--port <n>', 'HTTP(S) port for phones', int(0, 65535), 8080)
    .option('--host <addr>', 'address to listen on', '0.0.0.0')
    .option('--data-dir <dir>', 'where documents and bundles are kept', path.join(ROOT, 'data'))
    .option('--static-dir <dir>', 'the built PWA to serve', path.join(ROOT, 'dist'))
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (needed for offline install off localhost)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--node-name <name>', 'this relay’s DTN node name', nodeName, os.hostname().replace(/[^a-z0-9-]/gi, '-').slice(0, 63) || 'relay')
    .option('--community-name <name>', 'name of the default community created on first start', 'Our community')
    .option('--max-message-bytes <n>', 'largest WebSocket message accepted from a phone', int(1024, 256 * 1024 * 1024), 16 * 1024 * 1024)
    .showHelpAfterError();
}

export function parseConfig(argv: string[]): RelayConfig {
  const cmd = buildCommand().parse(argv, { from: 'user' });
  const o = cmd.opts<RelayConfig>();
  if (Boolean(o.tlsCert) !== Boolean(o.tlsKey)) cmd.error('--tls-cert and --tls-key go together');
  return { ...o, dataDir: path.resolve(o.dataDir), staticDir: path.resolve(o.staticDir) };
}
