// Node IDs in SESS_INIT must be URIs (RFC 9174 §4.6); we check the shape only.

const URI_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\u0000-\u001f\u007f]+$/;

export function isValidNodeId(nodeId: string): boolean {
  return URI_SHAPE.test(nodeId) && new TextEncoder().encode(nodeId).length <= 0xffff;
}
