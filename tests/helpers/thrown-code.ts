/**
 * The code of the `kind` error that `f` throws, or undefined when `f` returns. Any other error is
 * thrown on: a refusal must be the module's own typed error, and anything else is a bug to show.
 */
export function thrownCode<E extends Error & { readonly code: string }>(kind: abstract new (...args: never[]) => E, f: () => unknown): E['code'] | undefined {
  try {
    f();
  } catch (err) {
    if (err instanceof kind) return err.code;
    throw err;
  }
  return undefined;
}
