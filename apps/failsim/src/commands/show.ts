// `failsim show NAME`: prints a scenario file as written, to read or copy and edit.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { ExitCode, type ExitCodeValue, type Io } from '../io.js';
import { scenarioFile } from '../scenario-source.js';

/** Prints the file of scenario `arg` (a library name, or a path). */
export const show = (io: Io, arg: string): ExitCodeValue => {
  const source = scenarioFile(arg);
  if (!source.ok) {
    io.err(`${source.error}\n`);
    return ExitCode.usage;
  }
  let text: string;
  try {
    text = readFileSync(source.file, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    io.err(`error: cannot read ${source.file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code)}\n`);
    return ExitCode.usage;
  }
  io.out(text.endsWith('\n') ? text : `${text}\n`);
  return ExitCode.ok;
};

/** The `show` command. */
export const showCommand = (io: Io, exit: (code: ExitCodeValue) => void): Command =>
  new Command('show')
    .description('print a scenario file')
    .argument('<NAME>', 'a scenario of the library (failsim list), or a file path')
    .action((name: string) => exit(show(io, name)));
