/** Strings of the first-list change: the list shows its first page before every post is counted (issues 17, 18). */
export const firstListEn = {
  'browse.countPending': 'Showing the newest {shown}',
} as const;
