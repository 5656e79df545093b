// Cancellation as an error: what a cancelled operation throws, and how callers tell it from a failure (the
// DOMException of AbortSignal.throwIfAborted and the statistics' and remote readers' own AbortErrors alike).

/** An Error named AbortError for `what` ("audit cancelled"). */
export function abortError(what: string): Error {
  return Object.assign(new Error(`${what} cancelled`), { name: 'AbortError' });
}

/** Whether `e` is a cancellation rather than a failure. */
export function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}
