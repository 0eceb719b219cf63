// Where the commands write, and the exit codes they end with. Commands take an `Io`
// rather than writing to process.stdout so their specs can read what they print.

/** The streams a command writes to. */
export interface Io {
  /** Standard output; `text` carries its own newlines. */
  readonly out: (text: string) => void;
  /** Standard error; `text` carries its own newlines. */
  readonly err: (text: string) => void;
}

/** The process's own streams. */
export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Exit codes of every failsim command. */
export const ExitCode = {
  /** Done; for `run`, every expectation passed. */
  ok: 0,
  /** `run`: an expectation failed or a step could not run. */
  failed: 1,
  /** Bad input: unknown scenario name, unreadable or invalid file, bad flag value. */
  usage: 2,
  /** A bug in failsim: one of its invariants broke (the message carries the history). */
  internal: 3,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
