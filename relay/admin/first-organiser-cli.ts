import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import encodeQR from 'qr';
import { defaultDataDir } from '../config.ts';
import { FIRST_ORGANISER_INVITE_FILE } from '../first-organiser.ts';
import { AdminError } from './admin-client.ts';
import type { CliIo } from './cli.ts';

/** The address phones open with the invite filled in (the app reads `?invite=`). */
export function inviteLink(origin: string, invite: string): string {
  return `${origin.replace(/\/+$/, '')}/?invite=${encodeURIComponent(invite)}`;
}

/**
 * `solarpunk-relay first-organiser`: the invite the first organiser of a community nobody has joined yet
 * joins with (relay/first-organiser.ts), read from the data dir, with a QR code to scan from the phone —
 * with `--origin`, a code of the link that opens the app with the invite filled in. Works on the files,
 * relay running or not; says so plainly once someone has joined (the file is gone then).
 */
export function addFirstOrganiserCommand(program: Command, io: CliIo, done: (p: Promise<void>) => void): void {
  program
    .command('first-organiser')
    .description('print the invite (and a QR code) the first organiser joins with, while nobody has joined the community')
    .option('--data-dir <dir>', 'the relay’s data directory', defaultDataDir())
    .option('--origin <url>', 'the address phones open (e.g. https://mesh.lan): the QR code opens the app with the invite filled in')
    .option('--no-qr', 'print the invite only')
    .action((o: { dataDir: string; origin?: string; qr: boolean }) =>
      done(
        (async () => {
          const file = path.join(path.resolve(o.dataDir), FIRST_ORGANISER_INVITE_FILE);
          const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) =>
            Promise.reject(new AdminError(e.code === 'ENOENT' ? `no first-organiser invite in ${o.dataDir}: someone has joined already, or the relay has not started with this data directory` : `cannot read ${file}: ${e.code ?? e.message}`)),
          );
          for (const invite of text.split('\n').filter((l) => l.trim() !== '')) {
            const shown = o.origin ? inviteLink(o.origin, invite) : invite;
            io.out(`${shown}\n`);
            if (o.qr) io.out(`${encodeQR(shown, 'ascii', { ecc: 'low', border: 2 })}\n`);
          }
        })(),
      ),
    );
}
