import { InvalidArgumentError, type Command } from 'commander';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { CliIo } from '../admin/cli.ts';
import { defaultDataDir } from '../config.ts';
import { caFingerprint } from './ca-fingerprint.ts';
import { caFiles, readCa, relayFiles, writeNewFiles } from './ca-files.ts';
import { checkDnsName, checkIp, issueRelayCertificate, makeCommunityCa, type CommunityNames } from './community-ca.ts';

interface NameOptions {
  name: string;
  ip?: string;
  dataDir: string;
  json?: boolean;
}

/** Commander's parser for an option: a CaError becomes a usage error (exit 2), said with the option. */
function checked(check: (v: string) => string) {
  return (v: string): string => {
    try {
      return check(v);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

/**
 * `ca init` and `ca issue`: the community CA made by the relay and the relay certificates it signs
 * (docs/DEPLOY.md §4b). They need no running relay: they read and write files in the data directory.
 */
export function addCaCommands(program: Command, io: CliIo, done: (p: Promise<void>) => void): void {
  const ca = program.command('ca').description('a community certificate authority for HTTPS on the island (docs/DEPLOY.md §4b)');
  const nameOptions = (c: Command) =>
    c
      .requiredOption('--name <host>', 'the community host name phones open (e.g. mesh.lan)', checked(checkDnsName))
      .option('--ip <addr>', "the access point's fixed address, if phones also open it by address", checked(checkIp))
      .option('--data-dir <dir>', 'the relay’s data directory (the CA is kept in its ca/ folder)', defaultDataDir())
      .option('--json', 'print what was made as JSON');
  nameOptions(ca.command('init').description('make the CA (kept in <data-dir>/ca) and this relay’s HTTPS certificate (in <data-dir>/tls)')).action((o: NameOptions) =>
    done(
      (async () => {
        const dataDir = path.resolve(o.dataDir);
        const names: CommunityNames = { name: o.name, ...(o.ip ? { ip: o.ip } : {}) };
        const files = caFiles(dataDir);
        const tls = relayFiles(path.join(dataDir, 'tls'));
        const made = makeCommunityCa(names);
        const relay = issueRelayCertificate(made, names);
        await writeNewFiles([
          { path: files.key, content: made.keyPem, mode: 0o600 },
          { path: files.cert, content: made.certPem, mode: 0o644 },
          { path: tls.key, content: relay.keyPem, mode: 0o600 },
          { path: tls.cert, content: relay.chainPem, mode: 0o644 },
        ]);
        report(io, o.json, { ca: files, relay: tls, names, caPem: made.certPem, relayPem: relay.certPem }, 'init');
      })(),
    ),
  );
  nameOptions(ca.command('issue').description('sign an HTTPS certificate for another relay (or a renewal) with the CA in --data-dir'))
    .requiredOption('--out <dir>', 'where to write cert.pem and key.pem (a new folder; copy both to the other relay)')
    .action((o: NameOptions & { out: string }) =>
      done(
        (async () => {
          const dataDir = path.resolve(o.dataDir);
          const names: CommunityNames = { name: o.name, ...(o.ip ? { ip: o.ip } : {}) };
          const made = await readCa(dataDir);
          const relay = issueRelayCertificate(made, names);
          const out = relayFiles(path.resolve(o.out));
          await writeNewFiles([
            { path: out.key, content: relay.keyPem, mode: 0o600 },
            { path: out.cert, content: relay.chainPem, mode: 0o644 },
          ]);
          report(io, o.json, { ca: caFiles(dataDir), relay: out, names, caPem: made.certPem, relayPem: relay.certPem }, 'issue');
        })(),
      ),
    );
}

interface Made {
  ca: { cert: string; key: string };
  relay: { cert: string; key: string };
  names: CommunityNames;
  caPem: string;
  relayPem: string;
}

function report(io: CliIo, json: boolean | undefined, m: Made, what: 'init' | 'issue'): void {
  const fp = caFingerprint(new X509Certificate(m.caPem));
  const validTo = new Date(new X509Certificate(m.relayPem).validTo).toISOString().slice(0, 10);
  const names = [m.names.name, ...(m.names.ip ? [m.names.ip] : [])].join(', ');
  if (json) {
    io.out(`${JSON.stringify({ ca: m.ca, relay: m.relay, names, validTo, fingerprint: fp })}\n`);
    return;
  }
  if (what === 'init') io.out(`community CA: ${m.ca.cert}\n  its key: ${m.ca.key} (keep it on this node or offline; never copy it to another relay)\n`);
  io.out(
    [
      `CA fingerprint (SHA-256): ${fp.sha256}`,
      `  in words: ${fp.words.en.join(' ')}`,
      `  en palabras: ${fp.words.es.join(' ')}`,
      `relay certificate for ${names}, valid until ${validTo}: ${m.relay.cert}`,
      `  its key: ${m.relay.key}`,
      what === 'issue' ? `copy these two files to the other relay (the key by hand, not over the network), then start it with:` : 'start the relay with:',
      `  --tls-cert ${m.relay.cert} --tls-key ${m.relay.key} --install-port 80`,
      '',
    ].join('\n'),
  );
}
