// `failsim list`: the scenario library as a NAME TITLE PROFILE table.
import { Command } from 'commander';
import { ExitCode, type ExitCodeValue, type Io } from '../io.js';
import { libraryScenarios, type LibraryEntry } from '../library.js';

/** The table `failsim list` prints: a header, then one row per scenario, columns padded. */
export const listTable = (entries: readonly LibraryEntry[]): string => {
  const rows = [['NAME', 'TITLE', 'PROFILE'], ...entries.map((e) => [e.name, e.title, e.profile])];
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => `${r[0]!.padEnd(widths[0]!)}   ${r[1]!.padEnd(widths[1]!)}   ${r[2]!}\n`).join('');
};

/** Prints the library; an empty library says so on stderr and still succeeds. */
export const list = (io: Io, entries: readonly LibraryEntry[] = libraryScenarios()): ExitCodeValue => {
  io.out(listTable(entries));
  if (entries.length === 0) io.err('the scenario library is empty\n');
  return ExitCode.ok;
};

/** The `list` command. */
export const listCommand = (io: Io, exit: (code: ExitCodeValue) => void): Command =>
  new Command('list')
    .description('list the scenario library (NAME, TITLE, PROFILE)')
    .action(() => exit(list(io)));
