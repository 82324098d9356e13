/**
 * An agent's id in the community's signed `agents` setting: its name in lower case with dashes
 * ("WorkPartyScheduler" → "work-party-scheduler"), since setting entry ids are lower-case.
 */
export function agentSettingId(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}
