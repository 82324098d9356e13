// Runs the real native-bridge/setup.sh. This machine has no batman-adv kernel module and no iw,
// so tools are STAND-INS on a manipulated PATH and /sys is a fake tree (SOLARPUNK_SYSFS); only
// --dry-run and the failure paths are exercised.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SETUP = path.resolve(import.meta.dirname, '../../native-bridge/setup.sh');
const SYSTEM = '/usr/bin:/bin'; // coreutils, but not /usr/sbin where batctl and ip live
let dir: string;
let stubs: string;
let sys: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nb-setup-'));
  stubs = path.join(dir, 'bin');
  sys = path.join(dir, 'sys');
  mkdirSync(stubs);
  mkdirSync(path.join(sys, 'class/net/wlan0'), { recursive: true });
  mkdirSync(path.join(sys, 'module'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function stub(name: string, body = 'exit 0'): void {
  const p = path.join(stubs, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
}

function setup(args: string[], pathDirs = `${stubs}:${SYSTEM}`) {
  const r = spawnSync('/bin/sh', [SETUP, ...args], { env: { PATH: pathDirs, SOLARPUNK_SYSFS: sys }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function allTools(): void {
  stub('batctl');
  stub('modprobe', '[ "$1" = -n ] && [ "$2" = batman_adv ]');
  stub('iw');
  stub('ip');
}

describe('setup.sh', () => {
  it('Scenario: dry-run prints the exact command list (golden, ad-hoc)', () => {
    allTools();
    const r = setup(['up', '--iface', 'wlan0', '--mode', 'adhoc', '--ssid', 'solarpunk-mesh', '--freq', '2462', '--addr', '10.42.0.1/16', '--gw-mode', 'client', '--dry-run']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'modprobe batman_adv',
        'ip link set wlan0 down',
        'iw dev wlan0 set type ibss',
        'ip link set wlan0 mtu 1532',
        'ip link set wlan0 up',
        'iw dev wlan0 ibss join solarpunk-mesh 2462 HT20 fixed-freq 02:ca:fe:5a:1a:00',
        'batctl meshif bat0 interface add wlan0',
        'ip link set bat0 up',
        'ip addr add 10.42.0.1/16 dev bat0',
        'batctl meshif bat0 gw_mode client',
        '',
      ].join('\n'),
    );
  });

  it('Scenario: dry-run prints the exact command list (golden, 802.11s mesh point)', () => {
    allTools();
    const r = setup(['up', '--iface', 'wlan0', '--mode', 'mesh', '--ssid', 'island-a', '--freq', '5180', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      'modprobe batman_adv',
      'ip link set wlan0 down',
      'iw dev wlan0 set type mp',
      'ip link set wlan0 mtu 1532',
      'ip link set wlan0 up',
      'iw dev wlan0 mesh join island-a freq 5180',
      'iw dev wlan0 set mesh_param mesh_fwding 0',
      'batctl meshif bat0 interface add wlan0',
      'ip link set bat0 up',
      '',
    ]);
  });

  it('Scenario: setup is idempotent (steps already in place are skipped)', () => {
    allTools();
    stub('ip', 'echo "5: bat0    inet 10.42.0.1/16 brd 10.42.255.255 scope global bat0"');
    mkdirSync(path.join(sys, 'module/batman_adv'));
    mkdirSync(path.join(sys, 'class/net/bat0'));
    writeFileSync(path.join(sys, 'class/net/bat0/operstate'), 'up\n');
    symlinkSync('../bat0', path.join(sys, 'class/net/wlan0/master'));
    const r = setup(['up', '--iface', 'wlan0', '--addr', '10.42.0.1/16', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      '# batman_adv module already loaded',
      '# wlan0 already in bat0; radio left as is',
      '# bat0 already up',
      '# bat0 already has 10.42.0.1/16',
      '',
    ]);
  });

  it('Scenario: teardown dry-run', () => {
    allTools();
    mkdirSync(path.join(sys, 'module/batman_adv'));
    mkdirSync(path.join(sys, 'class/net/bat0'));
    symlinkSync('../bat0', path.join(sys, 'class/net/wlan0/master'));
    const r = setup(['down', '--iface', 'wlan0', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      'ip link set bat0 down',
      'batctl meshif bat0 interface del wlan0',
      'batctl meshif bat0 interface destroy',
      'ip link set wlan0 down',
      'iw dev wlan0 set type managed',
      '',
    ]);
    rmSync(path.join(sys, 'class/net/bat0'), { recursive: true });
    expect(setup(['down', '--iface', 'wlan0', '--dry-run']).out).toBe('# bat0 does not exist; nothing to tear down\n');
  });

  it('Scenario: missing batctl exits with code 3 and a clear message', () => {
    const r = setup(['up', '--iface', 'wlan0', '--dry-run']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/batctl not found on PATH\. Install it: 'apt-get install batctl'/);
    expect(r.out).toBe('');
  });

  it('Scenario: missing kernel module exits with code 4 and a clear message (the real state of this machine)', () => {
    stub('batctl');
    const r = setup(['check']);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/the batman_adv kernel module is not available for kernel .+kmod-batman-adv/);
  });

  it('Scenario: missing iw exits with code 5, missing interface with code 6', () => {
    stub('batctl');
    stub('modprobe');
    expect(setup(['up', '--iface', 'wlan0', '--dry-run']).code).toBe(5);
    expect(setup(['up', '--iface', 'wlan0', '--mode', 'none', '--dry-run']).code).toBe(0);
    const r = setup(['up', '--iface', 'wlan7', '--dry-run']);
    expect(r.code).toBe(6);
    expect(r.err).toMatch(/interface wlan7 does not exist/);
  });

  it('Scenario: invalid arguments exit with code 2', () => {
    allTools();
    for (const args of [[], ['up'], ['sideways'], ['up', '--iface', 'wlan0', '--mode', 'x'], ['up', '--iface', 'wlan0', '--gw-mode', 'x'], ['up', '--iface', 'wlan0;rm', '--dry-run'], ['up', '--iface', 'wlan0', '--freq', '24x'], ['up', '--iface']]) {
      expect(setup(args).code, args.join(' ')).toBe(2);
    }
    const help = setup(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Exit codes: 0 ok/);
  });

  it('Scenario: the dns action prints a dnsmasq configuration that answers one name with the relay on every island, without batman-adv tools', () => {
    // No stubs on PATH: making the DNS configuration needs neither batctl nor the kernel module.
    const r = setup(['dns', '--ap-iface', 'wlan1', '--ap-addr', '10.42.0.1', '--name', 'mesh.lan'], SYSTEM);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toEqual([
      'interface=wlan1',
      'bind-interfaces',
      'address=/mesh.lan/10.42.0.1',
      'no-resolv',
      'dhcp-range=10.42.0.50,10.42.0.250,12h',
      'dhcp-option=option:router,10.42.0.1',
      'dhcp-option=option:dns-server,10.42.0.1',
    ]);
    const custom = setup(['dns', '--ap-iface', 'wlan1', '--ap-addr', '192.168.7.1', '--name', 'mesh.lan', '--dhcp-range', '192.168.7.10,192.168.7.99'], SYSTEM);
    expect(custom.out).toContain('dhcp-range=192.168.7.10,192.168.7.99,12h');
    for (const bad of [
      ['--ap-iface', 'wlan1', '--ap-addr', '10.42.0', '--name', 'mesh.lan'],
      ['--ap-iface', 'wlan1', '--ap-addr', '10.42.0.1', '--name', 'mesh..lan'],
      ['--ap-iface', 'wlan1', '--ap-addr', '10.42.0.1', '--name', 'mesh.lan;reboot'],
      ['--ap-iface', 'wl an', '--ap-addr', '10.42.0.1', '--name', 'mesh.lan'],
      ['--ap-addr', '10.42.0.1', '--name', 'mesh.lan'],
    ]) {
      const b = setup(['dns', ...bad], SYSTEM);
      expect(b.code, bad.join(' ')).toBe(2);
      expect(b.out).toBe(''); // nothing half-written for the operator to install
    }
  });
});
