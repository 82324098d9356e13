/**
 * A request the relay turns down on purpose: bad input, no right, no room. The route table answers it
 * as `{error, code}` with its status (ErrorBody in src/core/protocol/routes.ts) and logs nothing above
 * info; anything else a handler throws is a bug, answered 500 and logged as an error.
 */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}
