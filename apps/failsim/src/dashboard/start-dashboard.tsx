// Starts the dashboard full-screen: the alternate screen (xterm's ?1049, as k9s and vim
// use it) so quitting gives back the terminal as it was, Ink at ≤ 30 fps, and `q` or
// Ctrl-C restore the screen and end with exit code 0. With `serve`, the serve API listens
// on the same run (serve-dashboard.ts) before the screen is taken, so a port that cannot
// be used is an ordinary error on a normal terminal.
import { render } from 'ink';
import { App } from './App.js';
import { serveDashboard, type DashboardServeOptions } from './serve-dashboard.js';
import { DashboardSession, type SessionOptions } from './session.js';
import { ThemeContext } from './theme-context.js';
import { themeFor } from './theme.js';

const ENTER_ALT = '\u001b[?1049h\u001b[H';
const LEAVE_ALT = '\u001b[?1049l';

/** Options of {@link startDashboard}: the session's, and where to serve it for kubectl. */
export interface StartDashboardOptions extends SessionOptions {
  readonly serve?: DashboardServeOptions;
}

/**
 * Opens the dashboard on stdout and resolves when the user quits; rejects, before taking
 * the screen, when `serve` cannot listen or write its kubeconfig.
 */
export const startDashboard = async (options: StartDashboardOptions): Promise<void> => {
  const { serve, ...sessionOptions } = options;
  const session = new DashboardSession(sessionOptions);
  const serving = serve ? await serveDashboard(session, serve) : undefined;
  process.stdout.write(ENTER_ALT);
  let left = false;
  const leave = (): void => {
    if (left) return;
    left = true;
    session.stop();
    process.stdout.write(LEAVE_ALT);
  };
  // Whatever ends the process, the user's screen comes back.
  process.once('exit', leave);
  session.start();
  const app = render(
    <ThemeContext.Provider value={themeFor(process.env)}>
      <App session={session} />
    </ThemeContext.Provider>,
    { maxFps: 30, exitOnCtrlC: true, patchConsole: true },
  );
  try {
    await app.waitUntilExit();
  } finally {
    leave();
    await serving?.stop();
  }
};
