import { afterAll, beforeAll } from 'vitest';
import { decodeBundle, type Bundle } from '../../src/core/dtn/index.ts';
import { connectTcpcl, type TcpclSession, type TcpclTlsOptions } from '../../relay/dtn/tcpcl/index.ts';
import { dtnStatus } from './dtn-status.ts';
import { startRelayProcess, type RelayProcess } from './relay-process.ts';

export interface RelayWithNeighbours {
  /** The relay process (started in beforeAll). */
  readonly relay: RelayProcess;
  /** The relay's own node id, as its status reports it. */
  readonly node: string;
  /**
   * A scripted neighbour `dtn://<name>/` dialling the relay; every well-formed bundle the relay sends it
   * lands in `received`. With `tls` (relay-tls.ts) it presents that certificate, as a community relay does.
   */
  neighbour(name: string, received?: Bundle[], tls?: TcpclTlsOptions): Promise<TcpclSession>;
}

/**
 * One real relay process for the calling file or describe block, shared by its tests, and scripted
 * DTN neighbours that reach it over TCPCLv4 on loopback. Call where beforeAll/afterAll may be.
 */
export function relayWithNeighbours(args: string[], opts: { keepaliveSec?: number } = {}): RelayWithNeighbours {
  let relay: RelayProcess | undefined;
  let node = '';
  let port = 0;
  beforeAll(async () => {
    relay = await startRelayProcess({ args });
    ({ node, tcpclPort: port } = await dtnStatus(relay.url));
  });
  afterAll(async () => {
    await relay?.cleanup();
  });
  return {
    get relay() {
      if (!relay) throw new Error('the relay starts in beforeAll');
      return relay;
    },
    get node() {
      return node;
    },
    neighbour(name, received = [], tls) {
      return connectTcpcl({
        nodeId: `dtn://${name}/`,
        host: '127.0.0.1',
        port,
        keepaliveSec: opts.keepaliveSec,
        tls,
        onBundle: async (bytes) => {
          const d = decodeBundle(bytes);
          if (d.ok) received.push(d.bundle);
        },
      });
    },
  };
}
