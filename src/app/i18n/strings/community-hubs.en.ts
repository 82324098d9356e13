/** Strings of the community-hubs change: organisers keep the list of hubs whose changes count (issue 15). */
export const communityHubsEn = {
  'hubs.title': 'Community hubs',
  'hubs.hint': 'What these hubs bring from other places counts for everyone. Any other hub can only carry things along, locked so only the people they are for can read them, and without changing them.',
  'hubs.this': 'This hub (you are connected to it)',
  'hubs.other': 'Another hub: {words}',
  'hubs.none': 'No hub is on the list: changes from other places do not count.',
  'hubs.add': 'Add this hub to the list',
  'hubs.added': 'This hub is on the list now. The other hubs learn it when your phone next connects to them.',
  'hubs.remove': 'Take off the list',
  'hubs.remove.confirm': 'Take this hub off the list? Do this if it was lost, taken or given away: what it brings will stop counting on every other hub. What it already brought stays.',
  'hubs.remove.yes': 'Yes, take it off',
  'hubs.removed': 'Taken off the list.',
  'hubs.key': 'Hub key: {key}',
} as const;
