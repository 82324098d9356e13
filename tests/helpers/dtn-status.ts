export interface DtnStatus {
  node: string;
  tcpclPort: number;
  contacts: Array<{ peer: string; since: number; bundlesIn: number; bundlesOut: number; bytesIn: number; bytesOut: number }>;
  lastContact: { peer: string; up: boolean; bundlesIn: number; bundlesOut: number; changesApplied: number } | null;
  peersSeen: string[];
  store: { count: number; bytes: number };
}

export async function dtnStatus(relayUrl: string): Promise<DtnStatus> {
  const res = await fetch(`${relayUrl}/api/status`);
  return ((await res.json()) as { dtn: DtnStatus }).dtn;
}
