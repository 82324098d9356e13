/** Strings of the agents-real work: the names of the learning circles' themes (agents/conscientization.ts). */
export const agentsRealEn = {
  'agents.theme.housing': 'housing and tenants’ rights',
  'agents.theme.energy': 'energy, heating and bills',
  'agents.theme.food': 'food sovereignty',
  'agents.theme.health': 'community health',
  'agents.theme.water': 'water as a commons',
  'agents.theme.childcare': 'shared childcare',
  'agents.theme.transport': 'getting around together',
  'agents.theme.work': 'work, wages and organising',
} as const;
