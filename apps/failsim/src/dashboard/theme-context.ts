// The theme as React context, so every cell colours by role without threading props.
import { createContext, useContext } from 'react';
import { COLOR_THEME, type Theme } from './theme.js';

/** The theme the components use; the dashboard provides themeFor(process.env). */
export const ThemeContext = createContext<Theme>(COLOR_THEME);

/** The current theme. */
export const useTheme = (): Theme => useContext(ThemeContext);
