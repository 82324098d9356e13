/** Strings of the sealed-records change (alerts sealed to members). */
export const sealedRecordsEn = {
  'alerts.waitingForKey': 'Alerts are locked so only members can read them. Yours will go out once an organiser’s phone has shared the members’ key with you.',
} as const;
