/** Strings of the relay-ca change: the link to the community hub's certificate install page (issue 21). */
export const relayCaEn = {
  'install.caLink': 'Make this phone trust the community hub (then the app works offline)',
} as const;
