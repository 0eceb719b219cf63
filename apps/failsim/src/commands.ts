// The commands failsim offers, and which of them exist yet. The dashboard and
// serve arrive with their issues; until then the CLI says so plainly.

/** One command of the failsim CLI. */
export interface CommandInfo {
  readonly usage: string;
  readonly summary: string;
  readonly available: boolean;
}

/** Every command, in the order `failsim --help` lists them. */
export const commands: readonly CommandInfo[] = [
  { usage: 'failsim', summary: 'open the dashboard on the default scenario', available: true },
  { usage: 'failsim dash NAME|FILE [--profile V] [--speed X] [--free]', summary: 'open the dashboard on a scenario', available: true },
  { usage: 'failsim run NAME|FILE [--profile V] [--seed N] [--until D] [--set K=V]... [--output F]', summary: 'run a scenario and check its expectations', available: true },
  { usage: 'failsim list', summary: 'list the scenario library', available: true },
  { usage: 'failsim show NAME', summary: 'print a scenario file', available: true },
  { usage: 'failsim validate FILE...', summary: 'check scenario files', available: true },
  { usage: 'failsim compare NAME --profile A --profile B [--set K=V]...', summary: 'compare a scenario across version profiles', available: true },
  { usage: 'failsim serve [NAME|FILE] [--port P] [--address A] [--speed X] [--free] [--kubeconfig PATH]', summary: 'serve a Kubernetes API for real kubectl', available: true },
];

/** The text `failsim` prints while the dashboard does not exist yet. Each command has `--help`. */
export const commandList = (version: string): string => {
  const width = Math.max(...commands.map((c) => c.usage.length));
  const lines = commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}${c.available ? '' : ' (not built yet)'}`);
  return [`failsim ${version}: Kubernetes node and storage failures, simulated in virtual time`, '', 'Commands:', ...lines, ''].join('\n');
};
