// `failsim dash --serve`: the serve API (../serve/server.ts, as `failsim serve` starts it
// in ../serve/serve-session.ts) on the dashboard's own live run, so real kubectl and the
// dashboard see and change one cluster. The dashboard keeps the pacer; the server gets
// the run's API server and clock, and failsim's control endpoint drives the session
// itself (its pause and its command log). Nothing is printed: Ink owns the terminal, so
// the URL and the kubeconfig go to the header (DashboardSession.setServing).
import { rmSync } from 'node:fs';
import type { ScenarioRun } from '@failsim/scenarios';
import { handleControl, type ControlTarget } from '../serve/control.js';
import { defaultKubeconfigPath, writeKubeconfig } from '../serve/kubeconfig.js';
import { DEFAULT_ADDRESS, startServer, type ServeServer } from '../serve/server.js';
import type { DashboardSession, ServingInfo } from './session.js';

/** Options of {@link serveDashboard}. */
export interface DashboardServeOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1 (no TLS, no auth: loopback only). */
  readonly address?: string;
  /** Where to write the kubeconfig; default a temp file named after the port, removed by stop(). */
  readonly kubeconfig?: string;
}

/** The running server beside a dashboard. */
export interface DashboardServe extends ServingInfo {
  readonly port: number;
  /** Resolves once the server is bound to the session's current run (after a restart's rebind). */
  ready(): Promise<void>;
  /** Stops listening (open watches end), forgets the session's serving info, removes a default kubeconfig. */
  stop(): Promise<void>;
}

/** The control endpoint's view of the session: its pacer now, and commands through its log. */
const controlTarget = (session: DashboardSession, run: ScenarioRun): ControlTarget => ({
  // A getter: a restart replaces the session's pacer (the server is rebound then anyway).
  get pacer() {
    return session.pacer;
  },
  clock: run.env.cluster.sim.clock,
  startMs: run.startMs,
  command: (line) => session.command(line),
});

/**
 * Serves `session`'s run for kubectl, beside the dashboard: resolves once listening (and
 * the kubeconfig is written); rejects when the port or address cannot be used. A restart
 * (`r`) builds a new cluster: the server is rebound to it on the same port, ending open
 * watches (kubectl re-lists, as after an API server restart). A kubectl write while the
 * clock is paused redraws the dashboard, since no pacer tick will.
 * @example
 * const serving = await serveDashboard(session, { port: 0 });
 * // KUBECONFIG=serving.kubeconfig kubectl get nodes
 * await serving.stop();
 */
export const serveDashboard = async (session: DashboardSession, options: DashboardServeOptions): Promise<DashboardServe> => {
  const address = options.address ?? DEFAULT_ADDRESS;
  let run = session.run;
  let unwatch = (): void => {};
  const bind = async (port: number): Promise<ServeServer> => {
    const sim = run.env.cluster.sim;
    const server = await startServer({ api: sim.api, clock: sim.clock, gitVersion: run.env.cluster.profile.kubeletVersion, control: (request) => handleControl(controlTarget(session, run), request) }, { port, address });
    // Every write from now on (kubectl's included): redraw when paused.
    const watched = sim.api.client('failsim-dash-serve').watchAll({ resourceVersion: sim.api.resourceVersion }).subscribe(() => {
      if (session.pacer.state.paused) session.refresh();
    });
    unwatch = () => watched.unsubscribe();
    return server;
  };
  let server = await bind(options.port);
  const kubeconfig = options.kubeconfig ?? defaultKubeconfigPath(server.port);
  try {
    writeKubeconfig(kubeconfig, server.url);
  } catch (e) {
    unwatch();
    await server.close();
    throw e;
  }
  const info: ServingInfo = { url: server.url, kubeconfig };
  session.setServing(info);

  // Rebinding is asynchronous: each waits for the one before, so the port is free again.
  let rebinding: Promise<void> = Promise.resolve();
  let stopped = false;
  const unsubscribe = session.subscribe(() => {
    if (session.run === run || stopped) return;
    run = session.run;
    rebinding = rebinding.then(async () => {
      unwatch();
      await server.close();
      if (stopped) return;
      try {
        server = await bind(server.port);
        session.setServing(info);
      } catch {
        // The port was taken meanwhile: the header stops claiming to serve.
        session.setServing(undefined);
      }
    });
  });

  return {
    ...info,
    port: server.port,
    ready: () => rebinding,
    stop: async () => {
      stopped = true;
      unsubscribe();
      await rebinding.catch(() => undefined);
      unwatch();
      await server.close();
      session.setServing(undefined);
      // A kubeconfig of our own choosing points at a server that is gone; one the user named is theirs to keep.
      if (options.kubeconfig === undefined) rmSync(kubeconfig, { force: true });
    },
  };
};
