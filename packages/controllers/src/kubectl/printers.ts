// The columns `kubectl get pods` prints, computed as kubectl's printPod does
// (k8s.io/kubernetes pkg/printers/internalversion/printers.go): READY, STATUS and
// RESTARTS. STATUS is where a lost node shows: `Unknown` for a pod the legacy node
// controller marked NodeLost, `Terminating` for any other pod being deleted.
import type { Pod } from 'kubernetes-types/core/v1.js';

/** The READY, STATUS and RESTARTS columns of one pod. */
export interface PodColumns {
  readonly ready: string;
  readonly status: string;
  readonly restarts: number;
}

/** pkg/util/node NodeUnreachablePodReason. */
export const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

/** READY, STATUS and RESTARTS of `pod`, as `kubectl get pods` shows them. */
export const podColumns = (pod: Pod): PodColumns => {
  const containers = pod.spec?.containers.length ?? 0;
  let reason = pod.status?.reason || pod.status?.phase || '';
  let restarts = 0;
  let ready = 0;
  let initializing = false;
  const initStatuses = pod.status?.initContainerStatuses ?? [];
  initStatuses.forEach((c, i) => {
    restarts += c.restartCount;
    if (initializing || (c.state?.terminated && c.state.terminated.exitCode === 0)) return;
    initializing = true;
    if (c.state?.terminated) {
      reason = c.state.terminated.reason ? `Init:${c.state.terminated.reason}` : `Init:ExitCode:${c.state.terminated.exitCode}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${pod.spec?.initContainers?.length ?? 0}`;
    }
  });
  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const statuses = pod.status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (pod.metadata?.deletionTimestamp && pod.status?.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp) reason = 'Terminating';
  return { ready: `${ready}/${containers}`, status: reason, restarts };
};

/** Settings of Go's text/tabwriter that kubectl uses (padding character is always a space). */
export interface TabWriterSettings {
  /** Minimal cell width, padding included. */
  readonly minWidth: number;
  /** Spaces added to the widest cell of a column. */
  readonly padding: number;
}

/**
 * `kubectl get` tables: printers.GetNewTabWriter (minwidth 6, padding 3), which is
 * why columns sit 3 spaces apart (k8s.io/kubernetes pkg/printers/tabwriter.go, v1.14).
 */
export const GET_TAB_WRITER: TabWriterSettings = { minWidth: 6, padding: 3 };

/** `kubectl describe`: tabbedString's tabwriter.Init(buf, 0, 8, 2, ' ', 0) (describe.go, v1.14). */
export const DESCRIBE_TAB_WRITER: TabWriterSettings = { minWidth: 0, padding: 2 };

const cellWidth = (cell: string): number => [...cell].length;

/**
 * Aligns tab-separated text as Go's text/tabwriter does (flags 0, space padding): a
 * column is a run of adjacent lines that all have a tab-terminated cell at that index,
 * so a line with fewer cells (a section title like `Containers:`) ends the runs it
 * breaks, and nested sections align on their own. The text after a line's last tab is
 * not part of any column, but like Go it is still padded when an outer column's run
 * covers it (kubectl's output carries those trailing spaces too). Returns the lines
 * without their newline.
 */
export const tabwrite = (text: string, settings: TabWriterSettings): string[] => {
  const raw = text.split('\n');
  if (raw[raw.length - 1] === '') raw.pop();
  const lines = raw.map((line) => line.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      out.push(lines[i]!.map((cell, j) => (j < widths.length ? cell + ' '.repeat(Math.max(0, widths[j]! - cellWidth(cell))) : cell)).join(''));
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let at = line0; at < line1; at++) {
      if (column >= lines[at]!.length - 1) continue;
      writeLines(start, at);
      start = at;
      let width = settings.minWidth;
      for (; at < line1 && column < lines[at]!.length - 1; at++) {
        width = Math.max(width, cellWidth(lines[at]![column]!) + settings.padding);
      }
      widths.push(width);
      format(start, at);
      widths.pop();
      start = at;
    }
    writeLines(start, line1);
  };
  format(0, lines.length);
  return out;
};
