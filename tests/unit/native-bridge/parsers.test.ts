// The batctl outputs parsed here are recordings (native-bridge/fixtures/batctl-2023.0): the test
// machine has no batman-adv kernel module, so tables were built from batctl v2023.0's own format
// strings and the error texts were captured from the real installed batctl.
import { describe, expect, it } from 'vitest';
import { classifyFailure, moduleVersion } from '../../../native-bridge/batctl/classify.ts';
import { BatctlError } from '../../../native-bridge/batctl/errors.ts';
import { parseNeighborsJson, parseNeighborsText } from '../../../native-bridge/batctl/neighbors.ts';
import { parseOriginatorsJson, parseOriginatorsText } from '../../../native-bridge/batctl/originators.ts';
import { recording } from './fixtures.ts';

const B = '02:5a:00:00:00:0b';
const C = '02:5a:00:00:00:0c';

function parseError(fn: () => unknown): BatctlError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BatctlError);
    return e as BatctlError;
  }
  throw new Error('expected a BatctlError');
}

describe('neighbours', () => {
  it('Scenario: JSON neighbour table parsed', () => {
    expect(parseNeighborsJson(recording('two-nodes', 'neighbors_json'))).toEqual([
      { mac: B, iface: 'wlan0', lastSeenMs: 120 },
      { mac: C, iface: 'wlan0', lastSeenMs: 1870 },
    ]);
  });

  it('Scenario: text neighbour table parsed', () => {
    expect(parseNeighborsText(recording('two-nodes', 'neighbors'))).toEqual([
      { mac: B, iface: 'wlan0', lastSeenMs: 120 },
      { mac: C, iface: 'wlan0', lastSeenMs: 1870 },
    ]);
  });

  it('Scenario: JSON and text forms agree on every recorded scenario', () => {
    for (const s of ['empty', 'one-node', 'two-nodes', 'stale', 'batman-v']) {
      expect(parseNeighborsText(recording(s, 'neighbors'))).toEqual(parseNeighborsJson(recording(s, 'neighbors_json')));
      expect(parseOriginatorsText(recording(s, 'originators'))).toEqual(parseOriginatorsJson(recording(s, 'originators_json')));
    }
  });
});

describe('originators', () => {
  const expected = [
    { mac: B, nextHop: B, iface: 'wlan0', lastSeenMs: 120, tq: 238, best: true },
    { mac: C, nextHop: B, iface: 'wlan0', lastSeenMs: 640, tq: 201, best: true },
    { mac: C, nextHop: C, iface: 'wlan0', lastSeenMs: 640, tq: 96, best: false },
  ];

  it('Scenario: JSON originator table parsed with best route and TQ', () => {
    expect(parseOriginatorsJson(recording('two-nodes', 'originators_json'))).toEqual(expected);
  });

  it('Scenario: text originator table parsed with best route and TQ', () => {
    expect(parseOriginatorsText(recording('two-nodes', 'originators'))).toEqual(expected);
  });

  it('Scenario: BATMAN_V tables parsed with throughput', () => {
    expect(parseOriginatorsText(recording('batman-v', 'originators'))).toEqual([
      { mac: B, nextHop: B, iface: 'wlan0', lastSeenMs: 410, throughputKbps: 54000, best: true },
    ]);
    expect(parseNeighborsText(recording('batman-v', 'neighbors'))).toEqual([
      { mac: B, iface: 'wlan0', lastSeenMs: 410, throughputKbps: 54000 },
    ]);
  });
});

describe('empty and disabled tables', () => {
  it('Scenario: empty tables yield no entries', () => {
    expect(parseNeighborsJson(recording('empty', 'neighbors_json'))).toEqual([]);
    expect(parseOriginatorsJson(recording('empty', 'originators_json'))).toEqual([]);
    expect(parseNeighborsText(recording('empty', 'neighbors'))).toEqual([]);
    expect(parseOriginatorsText(recording('empty', 'originators'))).toEqual([]);
  });

  it('Scenario: empty tables yield no entries (mesh without active interface: "BATMAN mesh bat0 disabled")', () => {
    expect(parseNeighborsText('BATMAN mesh bat0 disabled\n')).toEqual([]);
  });
});

describe('malformed output', () => {
  it('Scenario: malformed batctl output is a typed parse error', () => {
    const cases: Array<() => unknown> = [
      () => parseNeighborsJson('[{"neigh_address":"zz"}]'),
      () => parseNeighborsJson('{"neigh_address":"02:5a:00:00:00:0b"}'),
      () => parseNeighborsJson('[1]'),
      () => parseNeighborsJson('[{"hard_ifname":"wlan0","last_seen_msecs":-1,"neigh_address":"02:5a:00:00:00:0b"}]'),
      () => parseOriginatorsJson('[{"orig_address":"02:5a:00:00:00:0b","neigh_address":"02:5a:00:00:00:0b","hard_ifname":"w","last_seen_msecs":1,"tq":300}]'),
      () => parseOriginatorsJson('[{"orig_address":"02:5a:00:00:00:0b"'),
      () => parseNeighborsText('garbage line\n'),
      () => parseOriginatorsText(' * 02:5a:00:00:00:0b    0.120s   (999) 02:5a:00:00:00:0b [     wlan0]\n'),
      () => parseNeighborsJson(JSON.stringify(Array.from({ length: 5000 }, () => ({})))),
    ];
    for (const c of cases) expect(parseError(c).kind).toBe('parse');
  });
});

describe('failure classification (recorded stderr of the real batctl 2023.0)', () => {
  it('Scenario: missing kernel module is reported as module-missing', () => {
    const e = classifyFailure({ code: 1, stderr: recording('no-module', 'neighbors_json', 'err'), version: recording('no-module', 'version') });
    expect(e.kind).toBe('module-missing');
    expect(e.hint).toMatch(/modprobe batman_adv/);
    expect(moduleVersion(recording('no-module', 'version'))).toBeUndefined();
  });

  it('Scenario: missing mesh interface is reported as interface-missing', () => {
    const e = classifyFailure({ code: 1, stderr: recording('missing-interface', 'originators', 'err'), version: recording('missing-interface', 'version') });
    expect(e.kind).toBe('interface-missing');
    expect(e.message).toMatch(/bat0 is not present/);
    expect(moduleVersion(recording('missing-interface', 'version'))).toBe('2022.3');
  });

  it('Scenario: batctl without JSON queries is recognised (unsupported-command)', () => {
    expect(classifyFailure({ code: 1, stderr: recording('no-json', 'neighbors_json', 'err') }).kind).toBe('unsupported-command');
  });

  it('Scenario: non-root batctl is a typed error', () => {
    expect(classifyFailure({ code: 1, stderr: "Error - you must be root to run 'batctl' !\n" }).kind).toBe('not-root');
    expect(classifyFailure({ code: 2, stderr: 'something else' }).kind).toBe('failed');
  });
});
