// Entry point of the failsim CLI (bundled by tools/bundle-cli.js into dist/cli.js).
import { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { commandList } from './commands.js';

const VERSION = packageJson.version;

const program = new Command()
  .name('failsim')
  .description('Kubernetes node and storage failures, simulated in virtual time')
  .version(VERSION)
  .action(() => {
    process.stdout.write(commandList(VERSION));
  });

program.parse();
