import { UserError } from '../client/errors.ts';

/**
 * What a person started with a tap: `busy` while it runs (so its buttons are disabled and a second tap does
 * not send it twice) and the error it ended with, for the screen to show. Which error text a failure
 * becomes is the screen's choice; by default a UserError's message key, else 'error.generic'.
 */
export class UserAction {
  busy = $state(false);
  error = $state<string | null>(null);

  constructor(private readonly describe: (err: unknown) => string = (err) => (err instanceof UserError ? err.message : 'error.generic')) {}

  /** Runs `f`, first clearing the error the last run left. */
  async run(f: () => Promise<unknown>): Promise<void> {
    this.error = null;
    this.busy = true;
    try {
      await f();
    } catch (err) {
      this.error = this.describe(err);
    } finally {
      this.busy = false;
    }
  }
}
