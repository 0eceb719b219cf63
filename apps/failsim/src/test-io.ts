// An Io that keeps what a command prints, for the command specs.
import type { Io } from './io.js';

/** A recording Io: `out` and `err` hold everything written so far. */
export const recordingIo = (): Io & { readonly text: { out: string; err: string } } => {
  const text = { out: '', err: '' };
  return { text, out: (t) => void (text.out += t), err: (t) => void (text.err += t) };
};
