import type { firstOrganiserEn } from './first-organiser.en.ts';

/** Unirse a un centro al que nadie se ha unido aún, o que solo admite por invitación. */
export const firstOrganiserEs: Record<keyof typeof firstOrganiserEn, string> = {
  'join.firstOrganiserInvite': 'Todavía nadie se ha unido a este centro de la comunidad. Quien lo instaló tiene la primera invitación: pídesela y pégala en el campo de invitación.',
  'join.inviteNeeded': 'A esta comunidad se entra por invitación. Pide una invitación a alguien de la comunidad y pégala en el campo de invitación.',
};
