// `failsim validate FILE…`: checks scenario files with the scenario parser (loadScenario
// of @failsim/scenarios: YAML, schema, durations, commands, references, resource files).
// Errors print as compilers print them, so editors and CI can jump to them.
import { formatScenarioError, loadScenario } from '@failsim/scenarios';
import { Command } from 'commander';
import { ExitCode, type ExitCodeValue, type Io } from '../io.js';

/** Prints `FILE: ok` or every error of each file as `file:line:column: path: message`. */
export const validate = (io: Io, files: readonly string[]): ExitCodeValue => {
  let code: ExitCodeValue = ExitCode.ok;
  for (const file of files) {
    const loaded = loadScenario(file);
    if (loaded._tag === 'Right') {
      io.out(`${file}: ok\n`);
    } else {
      for (const error of loaded.left) io.out(`${formatScenarioError(error)}\n`);
      code = ExitCode.usage;
    }
  }
  return code;
};

/** The `validate` command. */
export const validateCommand = (io: Io, exit: (code: ExitCodeValue) => void): Command =>
  new Command('validate')
    .description('check scenario files; exit 2 if any has errors')
    .argument('<FILE...>', 'scenario files (YAML)')
    .action((files: string[]) => exit(validate(io, files)));
