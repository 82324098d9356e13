import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CommanderError } from 'commander';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatByteSize, parseByteSize } from '../../../relay/byte-size.ts';
import { defaultDataDir, parseConfig } from '../../../relay/config.ts';

// openspec/specs/relay-dtn — operator tools: config file, sizes with units, --version, data outside the checkout
const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'spm-config-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('relay options', () => {
  it('Scenario: the plain-HTTP install port goes with HTTPS only', () => {
    expect(parseConfig(['--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--install-port', '80']).installPort).toBe(80);
    expect(parseConfig([]).installPort).toBeUndefined();
    // Without TLS the app is on plain HTTP already; the same port twice cannot listen.
    expect(() => parseConfig(['--install-port', '80'])).toThrow(/needs --tls-cert/);
    expect(() => parseConfig(['--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--port', '8443', '--install-port', '8443'])).toThrow(/must differ/);
  });

  it('Scenario: sizes are read with their units, IEC as powers of 1024 and SI as powers of 1000', () => {
    const units: Array<[string, number]> = [['', 1], ['B', 1], ['kB', 1e3], ['MB', 1e6], ['GB', 1e9], ['KiB', 1024], ['MiB', 1024 ** 2], ['GiB', 1024 ** 3], ['gib', 1024 ** 3]];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4096 }), fc.constantFrom(...units), fc.boolean(), (n, [unit, factor], space) => {
        expect(parseByteSize(`${n}${space ? ' ' : ''}${unit}`)).toBe(n * factor);
      }),
    );
    expect(parseByteSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('2G')).toBeInstanceOf(Error); // ambiguous: refused rather than guessed
    expect(parseByteSize('lots')).toBeInstanceOf(Error);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 44 }), (n) => {
        const back = parseByteSize(formatByteSize(n));
        expect(typeof back).toBe('number');
        expect(Math.abs((back as number) - n)).toBeLessThanOrEqual(Math.max(1, n * 0.05)); // one decimal
      }),
    );
    expect(parseConfig(['--store-budget', '3GiB']).storeBudget).toBe(3 * 1024 ** 3);
    expect(() => parseConfig(['--store-budget', '10kB'])).toThrow(/at least/);
  });

  it('Scenario: a config file sets options by their long names and the command line wins', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'relay.json');
    await writeFile(file, JSON.stringify({ port: 9090, 'store-budget': '500MB', nodeName: 'island-a', peer: ['10.0.0.2:4556', '10.0.0.3:4556'], 'tcpcl-tls': false }));
    const cfg = parseConfig(['--config', file, '--port', '8081', '--peer', '10.0.0.4:4556']);
    expect(cfg.port).toBe(8081);
    expect(cfg.storeBudget).toBe(500e6);
    expect(cfg.nodeName).toBe('island-a');
    expect(cfg.tcpclTls).toBe(false); // a switch: false names its --no- form
    expect(cfg.peer.map((p) => p.host)).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4']);
  });

  it('Scenario: a config file with an unknown option, a bad value or broken JSON is refused and names the problem', async () => {
    const dir = await tmp();
    const bad = async (name: string, text: string) => {
      const f = path.join(dir, name);
      await writeFile(f, text);
      return f;
    };
    expect(() => parseConfig(['--config', path.join(dir, 'missing.json')])).toThrow(/cannot read the config file/);
    expect(() => parseConfig(['--config=' + 'x'])).toThrow(/cannot read the config file x/);
    const unknown = await bad('unknown.json', '{"prot": 80}');
    expect(() => parseConfig(['--config', unknown])).toThrow(/unknown option "prot"/);
    const broken = await bad('broken.json', '{"port": 80');
    expect(() => parseConfig(['--config', broken])).toThrow(/not valid JSON/);
    const value = await bad('value.json', '{"port": 99999}');
    expect(() => parseConfig(['--config', value])).toThrow(/integer from 0 to 65535/);
    const notSwitch = await bad('switch.json', '{"port": true}');
    expect(() => parseConfig(['--config', notSwitch])).toThrow(/"port" cannot be true/);
    const nested = await bad('nested.json', '{"port": {"a": 1}}');
    expect(() => parseConfig(['--config', nested])).toThrow(/must be a string, a number, a list of them/);
    expect(await readFile(unknown, 'utf8')).toBe('{"prot": 80}'); // the operator's file is left as it was
  });

  it("Scenario: data lives outside the checkout by default, and a relay that kept data in the checkout keeps using it", async () => {
    const checkout = await tmp();
    expect(defaultDataDir({ XDG_STATE_HOME: '/var/state' }, checkout)).toBe('/var/state/solarpunk-mesh/relay');
    expect(defaultDataDir({ XDG_STATE_HOME: 'relative' }, checkout)).toBe(path.join(os.homedir(), '.local/state/solarpunk-mesh/relay'));
    await mkdir(path.join(checkout, 'data'));
    expect(defaultDataDir({ XDG_STATE_HOME: '/var/state' }, checkout)).toBe(path.join(checkout, 'data'));
  });

  it('Scenario: --version prints the version and starts nothing', async () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
    // In-process: commander prints the version and stops parsing (main.ts exits with its code, 0).
    let stopped: unknown;
    try {
      parseConfig(['--version', '--port', '1']);
    } catch (err) {
      stopped = err;
    }
    expect(stopped).toBeInstanceOf(CommanderError);
    expect((stopped as CommanderError).exitCode).toBe(0);
    expect((stopped as CommanderError).message).toBe(version);
  });
});
