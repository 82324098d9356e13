/** The app groups digits only from five up ('min2', src/app/i18n/message.ts): "1000", "10,000". */
const english = new Intl.NumberFormat('en', { useGrouping: 'min2' } as Intl.NumberFormatOptions);

/**
 * The count line of an English phone's list once it holds `n` posts, written as the app writes numbers:
 * a check for "of 10000" never matched "of 10,000", and the 10,000-post cases waited out their limit.
 */
export function listCountText(n: number, shown = 50): string {
  return `Showing ${english.format(Math.min(shown, n))} of ${english.format(n)}`;
}
