// What a CLI command writes to: stdout, stderr, and whether stdout is a terminal. Its own module so that the
// commands need not import main.ts, which imports them.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  /** Resolves once what out() wrote has gone to the pipe (long outputs wait here, so they are not all held). */
  drain?(): Promise<void>;
}
