// vSphere's Recent Tasks as the vSphere Client (HTML5, 6.7) lists them: Task Name,
// Target, Status, Initiator, Queued For, Start Time, Completion Time — the pane the seed
// article looks at when an attach fails ("if we examine the tasks in the vSphere client
// UI, we observe the following errors"). A failed task's Status is the fault's message,
// as the client shows it; its detail lines follow the table, as the expanded row shows
// them. Times are the client's `MM/DD/YYYY, h:mm:ss AM` in UTC. Rows come from
// @failsim/vsphere's TaskManager (task.ts, after govmomi vim25/types TaskInfo).
import { GET_TAB_WRITER, tabwrite } from '@failsim/controllers';
import type { TaskInfo } from '@failsim/vsphere';

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * A virtual time as the vSphere Client prints it, `06/13/2019, 1:07:10 PM` (UTC).
 * @param ms virtual ms; `epoch` the wall date of virtual 0.
 */
export const clientTime = (ms: number, epoch: Date): string => {
  const d = new Date(epoch.getTime() + ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}, ${h12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
};

/** The Recent Tasks table of `tasks` (oldest first, as given), and the details of failed ones; no lines for no tasks. */
export const recentTasks = (tasks: readonly TaskInfo[], epoch: Date): string[] => {
  if (tasks.length === 0) return [];
  const header = ['Task Name', 'Target', 'Status', 'Initiator', 'Queued For', 'Start Time', 'Completion Time'];
  const rows = tasks.map((t) => [
    t.name,
    t.target,
    t.status === 'Failed' ? (t.error ?? 'Failed') : t.status,
    t.initiator,
    `${t.startedAt - t.queuedAt} ms`,
    clientTime(t.startedAt, epoch),
    t.completedAt === undefined ? '' : clientTime(t.completedAt, epoch),
  ]);
  const table = tabwrite([header, ...rows].map((cells) => `${cells.join('\t')}\n`).join(''), GET_TAB_WRITER).map((l) => l.trimEnd());
  const details = tasks.flatMap((t) => (t.status === 'Failed' && (t.details ?? []).length > 0 ? [`${t.name} ${t.target}:`, ...t.details!.map((d) => `  ${d}`)] : []));
  return [...table, ...details];
};
