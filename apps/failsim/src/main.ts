// Entry point of the failsim CLI (bundled by tools/bundle-cli.js into dist/cli.js).
// Exit codes: 0 done (run: passed), 1 an expectation failed, 2 bad input. Commander's
// own errors (unknown command or flag, missing argument, bad flag value) are bad input.
import { Command, CommanderError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { listCommand } from './commands/list.js';
import { runCommand } from './commands/run.js';
import { compareCommand } from './commands/compare.js';
import { dash, dashCommand } from './commands/dash.js';
import { startDashboard } from './dashboard/start-dashboard.js';
import { DEFAULT_SCENARIO } from '@failsim/scenarios';
import { showCommand } from './commands/show.js';
import { validateCommand } from './commands/validate.js';
import { serveCommand } from './commands/serve.js';
import { ExitCode, processIo, type ExitCodeValue } from './io.js';

const VERSION = packageJson.version;
const exit = (code: ExitCodeValue): void => {
  process.exitCode = code;
};

const program = new Command()
  .name('failsim')
  .description('Kubernetes node and storage failures, simulated in virtual time')
  .version(VERSION)
  .usage('[options] [command]')
  .argument('[command]')
  .action(async (command: string | undefined) => {
    // No arguments: the dashboard on the default scenario (on a TTY; else the command list and a hint).
    if (command === undefined) return exit(await dash(processIo, DEFAULT_SCENARIO, {}, dashOptions));
    processIo.err(`error: unknown command '${command}' (failsim with no arguments lists the commands)\n`);
    exit(ExitCode.usage);
  });

const dashOptions = { isTTY: process.stdout.isTTY === true, version: VERSION, start: startDashboard };
program.addCommand(dashCommand(processIo, exit, dashOptions));
for (const command of [listCommand, showCommand, validateCommand, runCommand, compareCommand, serveCommand]) program.addCommand(command(processIo, exit));
// Commander exits 1 on its errors; failsim keeps 1 for a failed expectation.
for (const command of [program, ...program.commands]) command.exitOverride();

try {
  await program.parseAsync();
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  // Help and --version end here too, with exit code 0; the message is already printed.
  process.exitCode = e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
}
