import type { Logger } from '../log.ts';
import type { Contact, ContactRecord } from './contact.ts';
import type { TcpclSession } from './tcpcl/index.ts';

/** Contact records kept for status (the last ones; older ones go). */
const HISTORY = 50;
/**
 * A session with the same peer that starts within this long of the last one ending continues that visit:
 * on a busy node a keepalive can lapse and the session comes straight back, and the status bar must still
 * say what the bridge brought, not "0 changes arrived" on the fresh session.
 */
export const VISIT_GAP_MS = 60_000;

/**
 * Session adoption: a TCPCL session whose SESS_INIT is done becomes a live Contact with a record of
 * what it carried. Keeps the live contacts, the recent records, and receive() calls waiting for a
 * session that is not adopted yet.
 */
export class ContactBook {
  readonly live = new Set<Contact>();
  readonly history: ContactRecord[] = [];
  /** Waiting for their session to be adopted as a contact. */
  private readonly waiters = new Set<(c: Contact) => void>();

  constructor(private readonly log: Logger) {}

  /** The session as a live contact; `onDown` runs once it ends, after its record is closed. */
  adopt(session: TcpclSession, onDown: (c: Contact) => void): { contact: Contact; record: ContactRecord } {
    const peer = session.peerNodeId ?? '';
    const now = Date.now();
    const last = [...this.history].reverse().find((r) => r.peer === peer);
    const resumed = last && !last.up && peer !== '' && now - (last.until ?? 0) < VISIT_GAP_MS ? last : undefined;
    const record: ContactRecord = resumed ?? { peer, up: true, since: now, bundlesIn: 0, bundlesOut: 0, changesApplied: 0 };
    if (resumed) {
      resumed.up = true;
      delete resumed.until;
      // It is the latest contact again (the status's lastContact is the last record).
      this.history.splice(this.history.indexOf(resumed), 1);
    }
    this.history.push(record);
    if (this.history.length > HISTORY) this.history.shift();
    // The visit's start: recordFor() finds the record by it.
    const c: Contact = { session, peer, services: servicesOf(peer), since: record.since, bundlesIn: 0, bundlesOut: 0, unacked: 0 };
    const before = { bundlesIn: record.bundlesIn, bundlesOut: record.bundlesOut };
    this.live.add(c);
    this.log.info({ peer: c.peer, tls: c.session.tls !== undefined }, 'contact up');
    session.on('down', (info) => {
      this.live.delete(c);
      Object.assign(record, { up: false, until: Date.now(), bundlesIn: before.bundlesIn + c.bundlesIn, bundlesOut: before.bundlesOut + c.bundlesOut });
      this.log.info({ peer: c.peer, cause: info.cause, bundlesIn: c.bundlesIn, bundlesOut: c.bundlesOut }, 'contact down');
      onDown(c);
    });
    for (const w of [...this.waiters]) w(c);
    return { contact: c, record };
  }

  contactWith(peer: string): Contact | undefined {
    return [...this.live].find((c) => c.peer === peer);
  }

  /** The contact with `peer` once adopted, or undefined if that does not happen within a second. */
  adopted(peer: string): Promise<Contact | undefined> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(onUp);
        resolve(this.contactWith(peer));
      };
      const onUp = (c: Contact): void => {
        if (c.peer === peer) done();
      };
      const timer = setTimeout(done, 1000);
      timer.unref();
      this.waiters.add(onUp);
    });
  }

  recordFor(c: Contact): ContactRecord | undefined {
    return [...this.history].reverse().find((r) => r.peer === c.peer && r.since === c.since);
  }
}

/** `dtn://name/` for a peer whose node ID is one like ours, else undefined (empty, ipn:…, other URIs). */
function servicesOf(peer: string): string | undefined {
  return /^dtn:\/\/[A-Za-z0-9][A-Za-z0-9._-]{0,252}\/$/.test(peer) ? peer : undefined;
}
