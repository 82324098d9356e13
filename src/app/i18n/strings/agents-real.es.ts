import type { agentsRealEn } from './agents-real.en.ts';

/** Cadenas del trabajo agents-real: los temas de los círculos de aprendizaje. */
export const agentsRealEs: Record<keyof typeof agentsRealEn, string> = {
  'agents.theme.housing': 'la vivienda y los derechos de quien alquila',
  'agents.theme.energy': 'la energía, la calefacción y las facturas',
  'agents.theme.food': 'la soberanía alimentaria',
  'agents.theme.health': 'la salud comunitaria',
  'agents.theme.water': 'el agua como bien común',
  'agents.theme.childcare': 'el cuidado compartido de niñas y niños',
  'agents.theme.transport': 'cómo movernos juntas',
  'agents.theme.work': 'el trabajo, los salarios y la organización',
};
