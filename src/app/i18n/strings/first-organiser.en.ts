/** Joining a hub nobody has joined yet, or one that admits by invitation only (relay/first-organiser.ts). */
export const firstOrganiserEn = {
  'join.firstOrganiserInvite': 'Nobody has joined this community hub yet. The person who set it up has the first invite: ask them for it and paste it in the invite box.',
  'join.inviteNeeded': 'This community is joined by invitation. Ask a member for an invite and paste it in the invite box.',
} as const;
