// One frame of the dashboard as text, without a terminal: for the benchmark (render the
// default screen of a run at 5, 200, 1,000 nodes) and for documentation captures.
import { renderToString } from 'ink';
import { Screen } from './Screen.js';
import type { DashboardSession } from './session.js';
import { ThemeContext } from './theme-context.js';
import { NO_COLOR_THEME, type Theme } from './theme.js';
import { INITIAL_UI, type UiState } from './ui-state.js';

/** Options of {@link renderFrame}. */
export interface RenderFrameOptions {
  readonly columns?: number;
  readonly rows?: number;
  readonly ui?: UiState;
  /** Default: no colour, so the text is plain. */
  readonly theme?: Theme;
}

/**
 * The text of one frame of `session` (default: the overview at 160×48, no colour).
 * @example renderFrame(new DashboardSession({ loaded, wall: frozenWall }), { columns: 80, rows: 24 })
 */
export const renderFrame = (session: DashboardSession, options: RenderFrameOptions = {}): string => {
  const columns = options.columns ?? 160;
  return renderToString(
    <ThemeContext.Provider value={options.theme ?? NO_COLOR_THEME}>
      <Screen session={session} ui={options.ui ?? INITIAL_UI} columns={columns} rows={options.rows ?? 48} />
    </ThemeContext.Provider>,
    { columns },
  );
};
