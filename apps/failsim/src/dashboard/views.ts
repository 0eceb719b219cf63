// The views of the dashboard and the `:` names that reach them: kubectl's resource names
// and short names (`:nodes`/`:no`, `:pods`/`:po`, `:events`/`:ev`, `:pvc`), as k9s
// resolves `:po` (derailed/k9s internal/view/command.go · v0.32), plus failsim's own
// (`:storage`, `:clocks`, `:hazards`/`:hz`, `:tasks`, `:bosh`, `:log`), and the completion of `:` lines.
import * as E from 'fp-ts/lib/Either.js';
import { dashboardClient } from './model/nodes.js';
import type { DashboardSession } from './session.js';

/** A view of the dashboard. */
export type ViewName = 'overview' | 'nodes' | 'pods' | 'storage' | 'clocks' | 'events' | 'hazards' | 'tasks' | 'bosh' | 'log';

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
  { name: 'hazards', title: 'Hazards', aliases: ['hazards', 'hazard', 'hz'] },
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

/** The dashboard's own `:` commands: `:step 50s` / `:step poweroff`, `:clocks all`. */
export const DASHBOARD_COMMANDS: readonly string[] = ['step'];

/** What argument completion can offer: the names in the run now. */
export interface CompletionContext {
  readonly nodes: readonly string[];
  /** `namespace/name` of each pod. */
  readonly pods: readonly string[];
  readonly vms: readonly string[];
  /** The ids of the scenario's scripted steps. */
  readonly steps: readonly string[];
}

/** Nothing to complete arguments with (view names and tools only). */
export const NO_COMPLETION_CONTEXT: CompletionContext = { nodes: [], pods: [], vms: [], steps: [] };

/** The run's names for completion: nodes and pods from the API server, VMs from vCenter, the scripted steps. */
export const completionContext = (session: DashboardSession): CompletionContext => {
  const client = dashboardClient(session.run);
  const names = (kind: 'Node' | 'Pod'): string[] => {
    const list = client.list(kind);
    return E.isRight(list) ? list.right.items.map((o) => (kind === 'Pod' ? `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}` : (o.metadata?.name ?? ''))) : [];
  };
  return { nodes: names('Node'), pods: names('Pod'), vms: [...session.run.env.vmForNode.values()].sort(), steps: session.options.loaded.steps.map((s) => s.id) };
};

/**
 * What may follow the words typed so far (all but the last, which is being typed): the
 * grammar of the step commands the runner parses (@failsim/scenarios format/command.ts),
 * as far as names go.
 */
const argumentsAfter = (words: readonly string[], ctx: CompletionContext): readonly string[] => {
  const [tool, a, b] = words;
  const pods = ctx.pods.map((p) => {
    const [namespace = '', name = ''] = p.split('/');
    return `${name} -n ${namespace}`;
  });
  switch (tool) {
    case 'step':
      return words.length === 1 ? ctx.steps : [];
    case 'clocks':
    case 'clock':
    case 'timers':
      return words.length === 1 ? ['all'] : [];
    case 'partition':
    case 'heal':
      return words.length === 1 ? ['node'] : words.length === 2 && a === 'node' ? ctx.nodes : [];
    case 'restart-kubelet':
      return words.length === 1 ? ctx.nodes : [];
    case 'govc':
      if (words.length === 1) return ['vm.power', 'device.remove'];
      if (a === 'vm.power') return words.length === 2 ? ['-off', '-on'] : words.length === 3 ? ctx.vms : [];
      return [];
    case 'kubectl':
      if (words.length === 1) return ['delete', 'drain', 'cordon', 'uncordon', 'taint', 'scale', 'exec'];
      if (words.length === 2 && (a === 'drain' || a === 'cordon' || a === 'uncordon')) return ctx.nodes;
      if (a === 'taint') return words.length === 2 ? ['nodes'] : words.length === 3 ? ctx.nodes : [];
      if (a === 'delete') return words.length === 2 ? ['node', 'pod'] : words.length === 3 && b === 'node' ? ctx.nodes : words.length === 3 && b === 'pod' ? pods : [];
      if (a === 'exec') return words.length === 2 ? pods : [];
      return [];
    default:
      return [];
  }
};

/**
 * Completions of what has been typed after `:`, as whole lines: the first word from the
 * view names, the step tools and the dashboard's own commands; later words from the
 * command's grammar and the names in `ctx` (node, pod and VM names, step ids).
 * @example complete('kubectl delete node w', ctx) // ['kubectl delete node worker-0', …]
 */
export const complete = (typed: string, ctx: CompletionContext = NO_COMPLETION_CONTEXT): string[] => {
  const t = typed.trimStart();
  const words = t.split(/\s+/);
  const last = (words.pop() ?? '').toLowerCase();
  const options = words.length === 0 ? [...VIEWS.flatMap((v) => v.aliases), ...STEP_TOOLS, ...DASHBOARD_COMMANDS] : argumentsAfter(words, ctx);
  const head = words.length === 0 ? '' : `${words.join(' ')} `;
  return options.filter((w) => w.toLowerCase().startsWith(last) && w.toLowerCase() !== last).map((w) => `${head}${w}`);
};
