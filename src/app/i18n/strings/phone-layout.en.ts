/** Strings for the phone-first layout: bottom tabs, post cards, the noticeboard's own entry. */
export const phoneLayoutEn = {
  'nav.post': 'Post',
  'nav.postChoose': 'What do you want to post?',
  'nav.more': 'More',
  'nav.noticeboard': 'Noticeboard',
  'nav.unread': '{n} unread',
  'nav.unread.one': '{n} unread',
  'nav.newAlerts': '{n} active alerts',
  'nav.newAlerts.one': '{n} active alert',
  'card.by': 'By {name}',
  'card.audience.public': 'Everyone',
  'card.audience.trusted': 'Members only',
  'card.audience.local': 'This community',
  'card.audience.private': 'Private',
  'card.photo': 'Photo',
  'print.noticeboard.gate': 'Printing the noticeboard is for vouched members. Ask someone who knows you to vouch for you.',
} as const;
