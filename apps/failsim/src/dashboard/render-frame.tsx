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
  /** Default: no colour, and then the text is plain: no bold or inverse codes either, whatever chalk's colour level. */
  readonly theme?: Theme;
}

// ESC [ … m: select graphic rendition (bold, inverse, colours).
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * The text of one frame of `session` (default: the overview at 160×48, no colour).
 * @example renderFrame(new DashboardSession({ loaded, wall: frozenWall }), { columns: 80, rows: 24 })
 */
export const renderFrame = (session: DashboardSession, options: RenderFrameOptions = {}): string => {
  const columns = options.columns ?? 160;
  const theme = options.theme ?? NO_COLOR_THEME;
  const text = renderToString(
    <ThemeContext.Provider value={theme}>
      <Screen session={session} ui={options.ui ?? INITIAL_UI} columns={columns} rows={options.rows ?? 48} />
    </ThemeContext.Provider>,
    { columns },
  );
  if (theme !== NO_COLOR_THEME) return text;
  return text
    .replace(SGR, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
};
