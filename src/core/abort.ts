// Cancellation as an error: what a cancelled operation throws, and how callers tell it from a failure (the
// DOMException of AbortSignal.throwIfAborted, the statistics' and the audit's own, and the remote reader's
// RemoteError with code 'aborted' alike: all are named AbortError).

/** An Error named AbortError with a message for people ("statistics cancelled"). */
export function abortError(message: string): Error {
  return Object.assign(new Error(message), { name: 'AbortError' });
}

/** Whether `e` is a cancellation rather than a failure. */
export function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}
