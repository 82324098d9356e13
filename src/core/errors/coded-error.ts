/**
 * An error carrying a machine-readable code from a closed set: callers (and the relay's HTTP layer)
 * branch on `code`, never on message text, which is for people and may change. Each module's error
 * extends it with its own code type and `name`, so `instanceof` still says which module refused.
 */
export class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}
