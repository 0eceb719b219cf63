// What the user has chosen to look at (view, selection, filter, overlays, the prompt),
// kept apart from the run so a frame is a pure function of (run, UI state, size).
import type { DescribeTarget } from './model/describe.js';
import type { ViewName } from './views.js';

/** The dashboard's UI state. */
export interface UiState {
  readonly view: ViewName;
  /** Selected row of the view's table (on the overview: the nodes table). */
  readonly selected: number;
  /** `/` filter: rows whose text contains it (case-insensitive). */
  readonly filter: string;
  /** Ctrl-Z: only faulty rows. */
  readonly faultsOnly: boolean;
  /** `w`: events of type Warning only. */
  readonly warningsOnly: boolean;
  /** `a` or `:clocks all`: the clocks show every timer, housekeeping loops included. */
  readonly clocksAll: boolean;
  /** The object being described, if the describe view is open. */
  readonly describe?: DescribeTarget;
  readonly help: boolean;
  /** The `:` or `/` prompt being typed. */
  readonly prompt?: { readonly mode: ':' | '/'; readonly text: string };
  /** The last message (an error is one line and changed nothing). */
  readonly message?: { readonly text: string; readonly error: boolean };
}

/** The state the dashboard opens with: the overview, first node selected. */
export const INITIAL_UI: UiState = { view: 'overview', selected: 0, filter: '', faultsOnly: false, warningsOnly: false, clocksAll: false, help: false };
