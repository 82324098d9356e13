/** Strings of the plain-notices change: what the phone did or will do, said where the person acts (issues 17, 18). */
export const plainNoticesEn = {
  'form.photoCleaned': 'We removed the location and camera details from this photo, so it does not show where it was taken.',
  'messages.notifyTitle': 'New message from {name}',
  'messages.notifyBody': 'Open the app to read it.',
  'alerts.notifyWhy': 'You will get a notice of new alerts, messages and answers to your posts while you use other apps. Only this phone shows it: nothing is sent anywhere.',
  'installPointer.text': 'Put this app on your home screen: it opens like your other apps, even without internet.',
  'installPointer.later': 'You can also do it later in Settings.',
  'installPointer.dismiss': 'Not now',
} as const;
