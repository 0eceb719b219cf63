// One frame of the dashboard as a pure function of the session, the UI state and the
// terminal size: the header, the current view (or the overview of nodes, pods, storage,
// clocks and events together), overlays, and the bottom line. Only the visible views are
// sampled, so a frame costs what it shows. Pods and storage chains a hazard touches are
// marked ⚠ wherever they are shown.
import { Box } from 'ink';
import { changeKeys } from './model/changes.js';
import { describeTarget } from './model/describe.js';
import { sampleClocks } from './model/clocks.js';
import { chainHazardKinds, hazardMarks, podHazards, sampleHazards } from './model/hazards.js';
import { sampleHeader } from './model/header.js';
import { visibleEvents, visibleNodes, visiblePods, visibleStorage } from './model/rows.js';
import { sampleBoshTasks, sampleVsphereTasks } from './model/tasks.js';
import type { DashboardSession } from './session.js';
import type { UiState } from './ui-state.js';
import { complete, completionContext } from './views.js';
import { ClocksView } from './views/ClocksView.js';
import { CommandLine } from './views/CommandLine.js';
import { CommandLogView } from './views/CommandLogView.js';
import { DescribeView } from './views/DescribeView.js';
import { EventsView } from './views/EventsView.js';
import { Header } from './views/Header.js';
import { HelpOverlay } from './views/HelpOverlay.js';
import { NodesView } from './views/NodesView.js';
import { PodsView } from './views/PodsView.js';
import { StorageView } from './views/StorageView.js';
import { HAZARD_COLUMNS } from './views/hazard-columns.js';
import { ListView } from './views/ListView.js';
import { BOSH_TASK_COLUMNS, VSPHERE_TASK_COLUMNS } from './views/task-columns.js';

/** Props of {@link Screen}. */
export interface ScreenProps {
  readonly session: DashboardSession;
  readonly ui: UiState;
  readonly columns: number;
  readonly rows: number;
}

/** Lines of the overview's panels for a body of `h` lines: nodes, pods, storage, clocks, events. */
export const overviewHeights = (h: number, nodes: number, pods: number, storage: number): [number, number, number, number, number] => {
  // Each panel: a title and a table header, then rows; small clusters leave room to the events.
  const want = (n: number, cap: number): number => Math.min(2 + n, Math.max(3, Math.floor(h * cap)));
  const hn = want(nodes, 0.3);
  const hp = want(pods, 0.25);
  const hs = Math.min(1 + Math.max(1, storage) * 2, Math.max(3, Math.floor(h * 0.2)));
  const rest = Math.max(4, h - hn - hp - hs);
  const hc = Math.max(2, Math.floor(rest * 0.4));
  return [hn, hp, hs, hc, Math.max(2, rest - hc)];
};

/** The frame. */
export const Screen = ({ session, ui, columns, rows }: ScreenProps) => {
  const run = session.run;
  const clock = run.env.cluster.sim.clock;
  const header = sampleHeader(session.options.loaded, run, session.pacer.state, session.options.free === true, {
    hazards: session.hazards.length,
    ...(session.serving ? { serving: session.serving } : {}),
  });
  const body = Math.max(6, rows - 4);
  const filter = ui.filter === '' ? {} : { filter: ui.filter };
  // Rows that just changed, per table (the tracker dates changes on the virtual clock).
  const now = clock.now();
  const marks = {
    nodes: (rows: Parameters<typeof changeKeys.nodes>[0]) => ({ changed: session.changes.observe('nodes', changeKeys.nodes(rows), now) }),
    pods: (rows: Parameters<typeof changeKeys.pods>[0]) => ({ changed: session.changes.observe('pods', changeKeys.pods(rows), now) }),
    storage: (rows: Parameters<typeof changeKeys.storage>[0]) => ({ changed: session.changes.observe('storage', changeKeys.storage(rows), now) }),
    events: (rows: Parameters<typeof changeKeys.events>[0]) => ({ changed: session.changes.observe('events', changeKeys.events(rows), now) }),
  };
  // Hazard marks only once there is one: a run without hazards pays nothing.
  const hazards = session.hazards.length > 0 ? hazardMarks(session.hazards) : undefined;
  const danger = {
    pods: (rows: Parameters<typeof podHazards>[0]) => (hazards ? { hazard: podHazards(rows, hazards) } : {}),
    storage: (chains: Parameters<typeof changeKeys.storage>[0]) => (hazards ? { hazards: chains.map((c) => chainHazardKinds(c, hazards)) } : {}),
  };
  const main = (() => {
    if (ui.help) return <HelpOverlay width={columns} />;
    if (ui.describe) {
      const t = ui.describe;
      return <DescribeView title={`${t.kind.toLowerCase()}/${t.namespace ? `${t.namespace}/` : ''}${t.name}`} lines={describeTarget(run, t)} width={columns} height={body} />;
    }
    switch (ui.view) {
      case 'nodes': {
        const rows = visibleNodes(run, ui);
        return <NodesView rows={rows} width={columns} height={body} selected={ui.selected} {...filter} {...marks.nodes(rows)} />;
      }
      case 'pods': {
        const rows = visiblePods(run, ui);
        return <PodsView rows={rows} width={columns} height={body} selected={ui.selected} {...filter} {...marks.pods(rows)} {...danger.pods(rows)} />;
      }
      case 'storage': {
        const chains = visibleStorage(run, ui);
        return <StorageView chains={chains} width={columns} height={body} selected={ui.selected} {...filter} {...marks.storage(chains)} {...danger.storage(chains)} />;
      }
      case 'clocks':
        return <ClocksView groups={sampleClocks(clock, { limit: body, all: ui.clocksAll, index: session.timers })} width={columns} height={body} all={ui.clocksAll} />;
      case 'events': {
        const rows = visibleEvents(run, ui);
        return <EventsView rows={rows} width={columns} height={body} warningsOnly={ui.warningsOnly || ui.faultsOnly} selected={ui.selected} {...filter} {...marks.events(rows)} />;
      }
      case 'hazards':
        return <ListView title="Hazards" columns={HAZARD_COLUMNS} rows={sampleHazards(session.hazards)} width={columns} height={body} selected={ui.selected} empty="No hazards: nothing a real cluster would be endangered by, so far." />;
      case 'tasks':
        return <ListView title="vSphere tasks" columns={VSPHERE_TASK_COLUMNS} rows={sampleVsphereTasks(run, body)} width={columns} height={body} empty="No tasks." />;
      case 'bosh':
        return <ListView title="BOSH tasks" columns={BOSH_TASK_COLUMNS} rows={sampleBoshTasks(run, body)} width={columns} height={body} empty="No tasks." />;
      case 'log':
        return <CommandLogView entries={session.log} width={columns} height={body} />;
      case 'overview': {
        const nodes = visibleNodes(run, ui);
        const pods = visiblePods(run, ui);
        const storage = visibleStorage(run, ui);
        const [hn, hp, hs, hc, he] = overviewHeights(body, nodes.length, pods.length, storage.length);
        const wide = columns >= 150;
        // Wide terminals put the clocks beside the tables and the events under both, full
        // width, so an event's MESSAGE (the Multi-Attach text) is readable.
        const left = wide ? Math.floor(columns * 0.64) : columns;
        const right = wide ? columns - left - 1 : columns;
        const top = hn + hp + hs;
        const leftColumn = (
          <Box flexDirection="column" width={left}>
            <NodesView rows={nodes} width={left} height={hn} selected={ui.selected} {...filter} {...marks.nodes(nodes)} />
            <PodsView rows={pods} width={left} height={hp} {...filter} {...marks.pods(pods)} {...danger.pods(pods)} />
            <StorageView chains={storage} width={left} height={hs} {...filter} {...marks.storage(storage)} {...danger.storage(storage)} />
          </Box>
        );
        const clocks = <ClocksView groups={sampleClocks(clock, { limit: wide ? top : hc, all: ui.clocksAll, index: session.timers })} width={right} height={wide ? top : hc} all={ui.clocksAll} />;
        const eventHeight = wide ? body - top : he;
        const eventRows = visibleEvents(run, ui, Math.max(0, eventHeight - 2));
        const events = <EventsView rows={eventRows} width={columns} height={eventHeight} warningsOnly={ui.warningsOnly || ui.faultsOnly} {...marks.events(eventRows)} />;
        return wide ? (
          <Box flexDirection="column">
            <Box flexDirection="row" height={top}>
              {leftColumn}
              <Box width={1} />
              <Box flexDirection="column" width={right}>
                {clocks}
              </Box>
            </Box>
            {events}
          </Box>
        ) : (
          <Box flexDirection="column">
            {leftColumn}
            {clocks}
            {events}
          </Box>
        );
      }
    }
  })();
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Header data={header} width={columns} />
      {/* Clipped vertically only: every line is already truncated to the width (wrap="truncate"),
          and a horizontal clip would make Ink re-slice each line it writes (slice-ansi). */}
      <Box flexDirection="column" height={body} overflowY="hidden">
        {main}
      </Box>
      <CommandLine
        width={columns}
        text={ui.prompt?.text ?? ''}
        {...(ui.prompt ? { mode: ui.prompt.mode, completions: ui.prompt.mode === ':' ? complete(ui.prompt.text, completionContext(session)) : [] } : {})}
        {...(ui.message ? { message: ui.message } : {})}
      />
    </Box>
  );
};
