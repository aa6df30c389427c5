/** Waiting in integration tests: real servers and sockets, so real time, polled every 10 ms. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once `check()` holds; rejects naming `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await sleep(10);
  }
}
