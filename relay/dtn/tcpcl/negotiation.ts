// SESS_INIT negotiation (RFC 9174 §4.6-4.7): what we offer and what we accept from the peer.

import { MessageType } from './constants.ts';
import { KNOWN_SESSION_EXTENSIONS, unknownCriticalItem } from './extensions.ts';
import type { SessInit, TcpclMessage } from './messages.ts';
import { isValidNodeId } from './node-id.ts';
import type { ResolvedOptions } from './session-options.ts';

export function ourSessInit(o: ResolvedOptions): SessInit {
  return {
    type: 'SESS_INIT',
    keepaliveSec: o.keepaliveSec,
    segmentMru: BigInt(o.segmentMru),
    transferMru: BigInt(o.transferMru),
    nodeId: o.nodeId,
    extensions: [],
  };
}

/**
 * Why a peer's SESS_INIT is unacceptable (RFC 9174 §4.7: Contact Failure), or undefined. Over TLS the
 * Node ID must be one its certificate names (§4.4.3: Node ID authentication), else anyone with any
 * certificate could speak for any node.
 */
export function checkPeerInit(init: SessInit, certNodeIds?: readonly string[]): string | undefined {
  if (init.nodeId !== '' && !isValidNodeId(init.nodeId)) return `peer node ID is not a URI: ${JSON.stringify(init.nodeId)}`;
  if (init.segmentMru === 0n) return 'peer segment MRU is zero';
  const critical = unknownCriticalItem(init.extensions, KNOWN_SESSION_EXTENSIONS);
  if (critical) return `unknown critical session extension 0x${critical.itemType.toString(16)}`;
  if (certNodeIds && !certNodeIds.includes(init.nodeId)) {
    return `peer node ID ${JSON.stringify(init.nodeId.slice(0, 100))} is not the one its TLS certificate names`;
  }
  return undefined;
}

export function messageTypeOf(m: TcpclMessage): number {
  return MessageType[m.type];
}
