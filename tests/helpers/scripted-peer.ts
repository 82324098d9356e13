import { decodeBundle, type Bundle } from '../../src/core/dtn/index.ts';
import { connectTcpcl, type TcpclSession } from '../../relay/dtn/tcpcl/index.ts';
import { dtnStatus } from './dtn-status.ts';
import { startRelayProcess, type RelayProcess } from './relay-process.ts';

/** A real relay process that scripted TCPCL peers talk to: its node ID and TCPCL port. */
export interface RelayUnderTest {
  relay: RelayProcess;
  node: string;
  tcpclPort: number;
}

export async function startRelayForPeers(args: string[]): Promise<RelayUnderTest> {
  const relay = await startRelayProcess({ args });
  const { node, tcpclPort } = await dtnStatus(relay.url);
  return { relay, node, tcpclPort };
}

/**
 * A scripted peer `dtn://<name>/`: a TCPCL session to the relay on loopback that keeps every well-formed
 * bundle the relay hands it in `received` (in arrival order).
 */
export function scriptedPeer(tcpclPort: number, name: string, received: Bundle[] = [], opts: { keepaliveSec?: number } = {}): Promise<TcpclSession> {
  return connectTcpcl({
    nodeId: `dtn://${name}/`,
    host: '127.0.0.1',
    port: tcpclPort,
    ...(opts.keepaliveSec !== undefined ? { keepaliveSec: opts.keepaliveSec } : {}),
    onBundle: async (bytes) => {
      const d = decodeBundle(bytes);
      if (d.ok) received.push(d.bundle);
    },
  });
}
