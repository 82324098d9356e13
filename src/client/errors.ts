/** A refusal the person can act on: the message is an i18n key the screens show as it is. */
export class UserError extends Error {}
