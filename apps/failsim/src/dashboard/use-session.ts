// A hook that re-renders on every session change. The pacer ticks at most every 33 ms
// and Ink caps frames at 30 fps, so a fast virtual clock cannot flood the terminal: each
// frame samples the run as it is then.
import { useEffect, useState } from 'react';
import type { DashboardSession } from './session.js';

/** The session's version, updated on each change (use it to re-sample). */
export const useSession = (session: DashboardSession): number => {
  const [version, setVersion] = useState(session.version);
  useEffect(() => session.subscribe(() => setVersion(session.version)), [session]);
  return version;
};
