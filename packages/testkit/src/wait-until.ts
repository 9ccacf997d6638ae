// Polls a condition that another process or thread makes true (a database notification, a
// registration at a peer), for tests that cannot await the event itself.

/** Resolves once `test` holds; rejects naming `what` after `timeoutMs`. */
export async function waitUntil(
  test: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
