/**
 * The English names of the learning circles' themes (agents/conscientization.ts), by i18n key. One table
 * for both readers: the agents' English summaries (words.ts) and the app's English dictionary
 * (src/app/i18n/strings/agents-real.en.ts), so the two cannot drift apart.
 */
export const THEME_WORDS = {
  'agents.theme.housing': 'housing and tenants’ rights',
  'agents.theme.energy': 'energy, heating and bills',
  'agents.theme.food': 'food sovereignty',
  'agents.theme.health': 'community health',
  'agents.theme.water': 'water as a commons',
  'agents.theme.childcare': 'shared childcare',
  'agents.theme.transport': 'getting around together',
  'agents.theme.work': 'work, wages and organising',
} as const;
