/**
 * What every ContactSource (src/core/protocol/contact-event.ts) must do, whatever it listens to: the relay's
 * ContactManager treats them all alike, so each one (UDP beacons, the native bridge's Unix socket,
 * the batman-adv monitor) runs this suite through a harness that knows how to make a peer appear.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseContactEvent, type ContactEvent, type ContactSource, type ContactSourceKind } from '../../../src/core/protocol/contact-event.ts';

export interface ContactSourceHarness {
  kind: ContactSourceKind;
  /** A fresh source, not started. */
  source: ContactSource;
  /** Makes one peer reachable the way this source learns of it (a beacon, a bridge line, batctl output). */
  appear(): Promise<void>;
  /** Makes that peer unreachable, and does what lets the source notice (time passes, a poll, a socket ends). */
  vanish(): Promise<void>;
  /** Feeds the source hostile input of its own kind; resolves once the source has dealt with it. */
  hostile(): Promise<void>;
  teardown(): Promise<void>;
}

export type ContactSourceSetup = () => Promise<ContactSourceHarness>;

/** The next 'contact' event; the test's own timeout bounds the wait. */
function nextContact(source: ContactSource): Promise<ContactEvent> {
  return new Promise((resolve) => {
    let done = false;
    source.on('contact', (e) => {
      if (done) return;
      done = true;
      resolve(e);
    });
  });
}

export function runContactSourceContract(name: string, setup: ContactSourceSetup): void {
  describe(`ContactSource contract (${name})`, () => {
    let h: ContactSourceHarness;
    let events: ContactEvent[];
    beforeEach(async () => {
      h = await setup();
      events = [];
      h.source.on('contact', (e) => events.push(e));
    });
    afterEach(async () => {
      await h.source.stop();
      await h.teardown();
    });

    it('Scenario: a contact source can be stopped before it starts, and stopped twice', async () => {
      await h.source.stop();
      await h.source.start();
      await h.source.stop();
      await h.source.stop();
      expect(events).toEqual([]);
    });

    it("Scenario: a peer that appears is one well-formed 'up' from the source, and its loss a 'down' for the same peer", async () => {
      await h.source.start();
      const up = nextContact(h.source);
      await h.appear();
      const e = await up;
      expect(e.kind).toBe('up');
      expect(e.source).toBe(h.kind);
      expect(Number.isFinite(e.at)).toBe(true);
      // Every event must survive the bridge socket's wire format unchanged (that parser is the strict one).
      expect(parseContactEvent(JSON.stringify(e))).toEqual(e);

      const down = nextContact(h.source);
      await h.vanish();
      expect(await down).toMatchObject({ kind: 'down', peer: e.peer, source: h.kind });
      expect(events.map((x) => x.kind)).toEqual(['up', 'down']);
    });

    it('Scenario: hostile input raises no contact and the source keeps working', async () => {
      await h.source.start();
      await h.hostile();
      expect(events).toEqual([]);
      const up = nextContact(h.source);
      await h.appear();
      expect(await up).toMatchObject({ kind: 'up', source: h.kind });
    });
  });
}
