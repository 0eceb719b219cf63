// The views of the dashboard and the `:` names that reach them: kubectl's resource names
// and short names (`:nodes`/`:no`, `:pods`/`:po`, `:events`/`:ev`, `:pvc`), as k9s
// resolves `:po` (derailed/k9s internal/view/command.go · v0.32), plus failsim's own
// (`:storage`, `:clocks`, `:tasks`, `:bosh`, `:log`).

/** A view of the dashboard. */
export type ViewName = 'overview' | 'nodes' | 'pods' | 'storage' | 'clocks' | 'events' | 'tasks' | 'bosh' | 'log';

/** One view: its title and the names `:` accepts for it. */
export interface ViewInfo {
  readonly name: ViewName;
  readonly title: string;
  readonly aliases: readonly string[];
}

/** Every view, in the order `:` completion offers them. */
export const VIEWS: readonly ViewInfo[] = [
  { name: 'overview', title: 'Overview', aliases: ['overview', 'all', 'home'] },
  { name: 'nodes', title: 'Nodes', aliases: ['nodes', 'node', 'no'] },
  { name: 'pods', title: 'Pods', aliases: ['pods', 'pod', 'po'] },
  { name: 'storage', title: 'Storage', aliases: ['storage', 'pvc', 'pvcs', 'persistentvolumeclaims', 'pv', 'volumes'] },
  { name: 'clocks', title: 'Clocks', aliases: ['clocks', 'clock', 'timers'] },
  { name: 'events', title: 'Events', aliases: ['events', 'event', 'ev'] },
  { name: 'tasks', title: 'vSphere tasks', aliases: ['tasks', 'task', 'vsphere', 'vc'] },
  { name: 'bosh', title: 'BOSH tasks', aliases: ['bosh'] },
  { name: 'log', title: 'Command log', aliases: ['log', 'commands', 'history'] },
];

/** The view a `:` word names, if it names one (case-insensitive). */
export const viewFor = (word: string): ViewName | undefined => {
  const w = word.trim().toLowerCase();
  return VIEWS.find((v) => v.aliases.includes(w))?.name;
};

/** The first word of a step command (what `:` hands to the scenario runner). */
export const STEP_TOOLS: readonly string[] = ['kubectl', 'govc', 'bosh', 'partition', 'heal', 'restart-kubelet'];

/** Completions of what has been typed after `:`: view names and step tools that start with it. */
export const complete = (typed: string): string[] => {
  const t = typed.trimStart().toLowerCase();
  if (t.includes(' ')) return [];
  return [...VIEWS.flatMap((v) => v.aliases), ...STEP_TOOLS].filter((w) => w.startsWith(t) && w !== t);
};
