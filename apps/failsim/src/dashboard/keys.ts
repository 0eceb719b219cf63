// The one key registry of the dashboard (as k9s' KeyAction table and gemini-cli's
// keyBindings.ts): the input handler, the header hints and the `?` help overlay are all
// drawn from it, so help never drifts from behaviour. k9s keys where k9s has one
// (derailed/k9s internal/ui/key.go · v0.32: `:` command, `/` filter, Esc back, Enter and
// `d` describe, `?` help, j/k, Ctrl-Z faults only); time and fault keys are failsim's own.

/** Where a key acts. */
export type KeyScope = 'global' | 'time' | 'table' | 'node';

/** What a key does; the input handler switches on it. */
export type KeyAction =
  | 'command' | 'filter' | 'back' | 'describe' | 'help' | 'down' | 'up' | 'quit' | 'faults-only' | 'warnings-only' | 'clocks-all' | 'hazards'
  | 'pause' | 'step' | 'faster' | 'slower' | 'restart'
  | 'power-off' | 'power-on' | 'delete-node' | 'drain' | 'cordon' | 'uncordon' | 'partition' | 'heal';

/** One key binding. */
export interface KeyBinding {
  /** The input as Ink reports it: a character, or a named key (`escape`, `return`, `up`, `down`, `ctrl+z`, `space`). */
  readonly keys: readonly string[];
  /** How help and hints print the keys. */
  readonly label: string;
  readonly action: KeyAction;
  readonly description: string;
  readonly scope: KeyScope;
  /** Shown in the header hints (the most used ones only: the header is one line). */
  readonly hint?: boolean;
}

/** Every key the dashboard answers, in the order help lists them. */
export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: [':'], label: ':', action: 'command', description: 'command mode: a view (:po :no :pvc :clocks :ev :hz :tasks :bosh :log), :step 50s or :step STEP-ID, or a step command (:kubectl … :govc … :partition node …); Tab completes', scope: 'global', hint: true },
  { keys: ['/'], label: '/', action: 'filter', description: 'filter the rows of the current view', scope: 'table', hint: true },
  { keys: ['escape'], label: 'Esc', action: 'back', description: 'back: close describe, help or the filter', scope: 'global' },
  { keys: ['return', 'd'], label: 'Enter/d', action: 'describe', description: 'describe the selected object (with its Events)', scope: 'table', hint: true },
  { keys: ['?'], label: '?', action: 'help', description: 'this help', scope: 'global', hint: true },
  { keys: ['j', 'down'], label: 'j/↓', action: 'down', description: 'select the next row', scope: 'table' },
  { keys: ['k', 'up'], label: 'k/↑', action: 'up', description: 'select the previous row', scope: 'table' },
  { keys: ['ctrl+z'], label: 'Ctrl-Z', action: 'faults-only', description: 'show only faulty rows (not Ready, not Running, broken storage links)', scope: 'table' },
  { keys: ['w'], label: 'w', action: 'warnings-only', description: 'events: Warnings only', scope: 'table' },
  { keys: ['a'], label: 'a', action: 'clocks-all', description: 'clocks: every timer, housekeeping loops too (:clocks all)', scope: 'table' },
  { keys: ['!'], label: '!', action: 'hazards', description: 'hazards: what would endanger a real cluster (split brain, a disk detached under a running container…), newest first (:hz)', scope: 'global' },
  { keys: ['q'], label: 'q', action: 'quit', description: 'quit (Ctrl-C too)', scope: 'global', hint: true },
  { keys: ['space'], label: 'Space', action: 'pause', description: 'pause / resume the virtual clock', scope: 'time', hint: true },
  { keys: ['n', '.'], label: 'n/.', action: 'step', description: 'step to the next event (pauses first)', scope: 'time', hint: true },
  { keys: ['+', '='], label: '+', action: 'faster', description: 'faster: 1× 10× 60× 600× max', scope: 'time', hint: true },
  { keys: ['-'], label: '-', action: 'slower', description: 'slower', scope: 'time', hint: true },
  { keys: ['r'], label: 'r', action: 'restart', description: 'restart the scenario from T+00:00', scope: 'time' },
  { keys: ['o'], label: 'o', action: 'power-off', description: 'power off the selected node\'s VM (govc vm.power -off)', scope: 'node', hint: true },
  { keys: ['O'], label: 'O', action: 'power-on', description: 'power on the selected node\'s VM (govc vm.power -on)', scope: 'node' },
  { keys: ['x'], label: 'x', action: 'delete-node', description: 'delete the selected node (kubectl delete node)', scope: 'node' },
  { keys: ['D'], label: 'D', action: 'drain', description: 'drain the selected node (kubectl drain --ignore-daemonsets --delete-emptydir-data)', scope: 'node' },
  { keys: ['c'], label: 'c', action: 'cordon', description: 'cordon the selected node (kubectl cordon)', scope: 'node' },
  { keys: ['u'], label: 'u', action: 'uncordon', description: 'uncordon the selected node (kubectl uncordon)', scope: 'node' },
  { keys: ['p'], label: 'p', action: 'partition', description: 'cut the selected node off the network (partition node)', scope: 'node' },
  { keys: ['h'], label: 'h', action: 'heal', description: 'heal the selected node\'s network (heal node)', scope: 'node' },
];

/** The input of one keypress, as the registry names it (from Ink's useInput arguments). */
export interface KeyPress {
  readonly input: string;
  readonly escape?: boolean;
  readonly return?: boolean;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly ctrl?: boolean;
}

/** The registry's name of a keypress: `escape`, `return`, `up`, `down`, `space`, `ctrl+z`, else the character. */
export const keyName = (k: KeyPress): string => {
  if (k.escape) return 'escape';
  if (k.return) return 'return';
  if (k.upArrow) return 'up';
  if (k.downArrow) return 'down';
  if (k.ctrl) return `ctrl+${k.input}`;
  if (k.input === ' ') return 'space';
  return k.input;
};

/** The binding of a keypress, if any. */
export const bindingFor = (k: KeyPress, bindings: readonly KeyBinding[] = KEY_BINDINGS): KeyBinding | undefined => {
  const name = keyName(k);
  return bindings.find((b) => b.keys.includes(name));
};

/** The header hints: `<:> command  </> filter …` for the bindings marked `hint`. */
export const keyHints = (bindings: readonly KeyBinding[] = KEY_BINDINGS): string =>
  bindings.filter((b) => b.hint).map((b) => `<${b.label}> ${b.action}`).join('  ');
