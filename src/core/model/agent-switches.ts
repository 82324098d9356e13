/**
 * The community's `agents` setting as the organisers' settings screen shows it: one tick per helper.
 * An empty setting means the organisers never chose, and every helper runs (agents/community-choice.ts),
 * so the screen shows every helper ticked. Unticking them all must then not be saved as the empty list,
 * which would switch them all back on: it is saved as a list naming no helper ([NO_AGENT]), which every
 * phone and hub reads as "none of them", old ones included (they run only helpers the list names).
 */
export const NO_AGENT = 'none';

/** The helpers shown ticked for a setting; `all` are every helper's setting ids. */
export function tickedAgents(setting: readonly string[], all: readonly string[]): string[] {
  return setting.length === 0 ? [...all] : all.filter((id) => setting.includes(id));
}

/**
 * The setting to save for what is ticked. A community that never chose and still has every helper
 * ticked keeps the empty setting, so saving another field does not turn "not chosen" into a choice.
 */
export function agentsSetting(ticked: readonly string[], before: readonly string[], all: readonly string[]): string[] {
  if (ticked.length === 0) return [NO_AGENT];
  if (before.length === 0 && all.every((id) => ticked.includes(id))) return [];
  return all.filter((id) => ticked.includes(id));
}
