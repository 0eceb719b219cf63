// One time-ordered list of what happened in a run: the steps, the transitions and the
// Events of the runner's result (README "Runner" of @failsim/scenarios), merged by
// virtual time. At one instant a step comes first (it is the cause), then what changed,
// then the Events that report it; within a kind the runner's order is kept. An Event's
// own `type` (Normal, Warning) moves to `eventType`, as `type` names the entry's kind.
import type { RecordedEvent, ScenarioResult, StepRecord, Transition } from '@failsim/scenarios';

/** One entry of the timeline, tagged with its kind as NDJSON records are. */
export type TimelineEntry =
  | ({ readonly type: 'step' } & StepRecord)
  | ({ readonly type: 'transition' } & Transition)
  | ({ readonly type: 'event'; readonly eventType: string } & Omit<RecordedEvent, 'type'>);

const RANK: Record<TimelineEntry['type'], number> = { step: 0, transition: 1, event: 2 };

/** Steps, transitions and Events of `result`, by time (a stable merge). */
export const timeline = (result: ScenarioResult): TimelineEntry[] => {
  const entries: TimelineEntry[] = [
    ...result.steps.map((s) => ({ type: 'step' as const, ...s })),
    ...result.transitions.map((t) => ({ type: 'transition' as const, ...t })),
    ...result.events.map(({ type, ...e }) => ({ type: 'event' as const, eventType: type, ...e })),
  ];
  // Array.prototype.sort is stable, so equal keys keep the runner's order.
  return entries.sort((a, b) => a.at - b.at || RANK[a.type] - RANK[b.type]);
};
