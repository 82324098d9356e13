/** Strings of the sealed-more change (vouch notes and decisions sealed to members). */
export const sealedMoreEn = {
  'sealedMore.noteSealed': 'Only members can read this note.',
  'sealedMore.notePending': 'Kept on this phone until an organiser’s phone shares the members’ key with you; then only members can read it.',
  'sealedMore.decisionsSealed': 'Decisions are only for vouched members. You will see them here once a member vouches for you and an organiser’s phone shares the members’ key with you.',
  'sealedMore.decisionNoKey': 'Decisions are shared only with vouched members, and your phone does not have the members’ key yet. Ask a member to vouch for you, then try again.',
} as const;
