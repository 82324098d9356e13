/** Members by name in plain words: proposals speak of people, not of keys. */
import type { MemberRecords } from '../types.ts';
import { word } from './words.ts';

export function memberNames(members: readonly MemberRecords[]): Map<string, string> {
  return new Map(members.map((m) => [m.agentId, m.name] as const));
}

export function nameOf(names: Map<string, string>, agentId: string | undefined): string {
  if (agentId === undefined) return word('agents.word.someone');
  return names.get(agentId) ?? word('agents.word.member');
}
