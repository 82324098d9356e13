export const removalKeysEn = {
  'rk.linkShared': 'Every organiser can see and share this link. Members who are not organisers cannot.',
  'rk.linkComing': 'The current invite link is on its way from another organiser’s phone. It shows here once both phones have synced.',
} as const;
