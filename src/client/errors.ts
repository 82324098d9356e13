/** A refusal the person can act on: the message is an i18n key the screens show as it is (with `params`). */
export class UserError extends Error {
  constructor(
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}
