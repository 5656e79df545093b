// Ctrl-C as cancellation for the CLI's long commands: they pass the signal down and stop cleanly.
/** Runs `work` with a signal that SIGINT aborts (for the duration of the call only). */
export async function cancellableBySigint<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
