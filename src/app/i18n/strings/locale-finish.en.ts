/** Strings of the app's own date field and of the installed app's description (the web app manifest). */
export const localeFinishEn = {
  'date.day': 'Day',
  'date.month': 'Month',
  'date.year': 'Year',
  'date.error.incomplete': 'Choose the day, the month and the year, or leave all three empty.',
  'date.error.year': 'Write the year with four digits, for example 2027.',
  'date.error.noSuchDay': 'That month does not have that day. Choose another day.',
  'manifest.name': 'Solarpunk Mesh',
  'manifest.shortName': 'Mesh',
  'manifest.description': 'Mutual aid that works without internet: share what you can, ask for what you need.',
} as const;
