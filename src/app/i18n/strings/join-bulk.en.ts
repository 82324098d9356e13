/** Strings of the join-bulk work: the progress line while a newcomer's phone takes in a community's posts. */
export const joinBulkEn = {
  'browse.intake': '{done} of {total} posts loaded',
} as const;
