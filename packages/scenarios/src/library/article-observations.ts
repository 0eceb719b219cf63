// The seed article's observations beside what failsim's library reproduces: each row
// names one expectation of one of the article's five scenarios and quotes what the article
// saw. The package README's table is generated from runs (article-observations.test.ts
// keeps it true), so the simulated times in it are measured, not written by hand.
import type { ScenarioResult } from '../runner/runner.js';

/** One observation of the article and the expectation of a library scenario that checks it. */
export interface ArticleObservation {
  readonly scenario: string;
  /** What the article says it saw (quoted or closely paraphrased). */
  readonly observation: string;
  /** Index in the scenario's `expectations`. */
  readonly expectation: number;
}

/** The article's observations, in the article's order. */
export const ARTICLE_OBSERVATIONS: readonly ArticleObservation[] = [
  { scenario: 'standalone-pod-node-poweroff', expectation: 0, observation: 'the node enters a NotReady state after approx 40 seconds of missed heartbeats' },
  { scenario: 'standalone-pod-node-poweroff', expectation: 1, observation: 'around 5 minutes later, the Pod is marked for eviction/deletion' },
  { scenario: 'standalone-pod-node-poweroff', expectation: 2, observation: '… and remains in that state indefinitely (1.12 prints Unknown)' },
  { scenario: 'standalone-pod-node-poweroff', expectation: 5, observation: 'if the node is powered on again … the Pod is now deleted' },
  { scenario: 'standalone-pod-node-poweroff', expectation: 6, observation: 'the Pod is not restarted automatically' },
  { scenario: 'standalone-pod-node-delete', expectation: 3, observation: 'kubectl delete node: the standalone Pods running on the node are immediately deleted' },
  { scenario: 'standalone-pod-node-delete', expectation: 4, observation: '… and not restarted elsewhere' },
  { scenario: 'statefulset-node-delete', expectation: 1, observation: 'the PV will attempt to attach to the new node … not possible since the original node still has the PV attached (Multi-Attach)' },
  { scenario: 'statefulset-node-delete', expectation: 2, observation: '2 minutes later, we also see a problem with the mount attempt' },
  { scenario: 'statefulset-node-delete', expectation: 3, observation: 'the 6 minute timer … even a force detach does not work' },
  { scenario: 'statefulset-node-delete', expectation: 5, observation: 'after removing the VMDK from the original node VM, the PV could be successfully attached' },
  { scenario: 'statefulset-node-delete', expectation: 7, observation: 'the Cassandra row is still intact' },
  { scenario: 'statefulset-node-poweroff', expectation: 0, observation: 'after 40 seconds, the node enters a NotReady state' },
  { scenario: 'statefulset-node-poweroff', expectation: 1, observation: 'after a further 5 minutes, the Pod is marked for deletion' },
  { scenario: 'statefulset-node-poweroff', expectation: 3, observation: 'the system remains in this state indefinitely' },
  { scenario: 'statefulset-node-poweroff', expectation: 4, observation: 'kubectl delete node: initially … the volume cannot be attached to the new node (Multi-Attach)' },
  { scenario: 'statefulset-node-poweroff', expectation: 5, observation: 'once the 6 minutes has expired … the attach of the PV succeeded' },
  { scenario: 'statefulset-node-poweroff', expectation: 6, observation: '… and the Pod is up and running once more' },
  { scenario: 'recovery-after-poweroff', expectation: 3, observation: 'bosh cck Reboot VM fails after 00:04:04: OpenFile[file] failed (the new node holds the disk)' },
  { scenario: 'recovery-after-poweroff', expectation: 4, observation: 'after removing the VMDK from the node VM, cck Reboot VM succeeds in 00:01:21' },
  { scenario: 'recovery-after-poweroff', expectation: 5, observation: 'the node is Ready again' },
];

/** `48s after poweroff` from a detail's first `(48s after poweroff)`; a hold gives its length. */
const simulated = (detail: string): string => {
  const hold = /from ([\d.]+)s \(([\d.]+)s after ([\w-]+)\) (until ([\d.]+)s|to the end)/.exec(detail);
  if (hold) return `held ${hold[5] === undefined ? 'to the end of the run' : `${Math.round(Number(hold[5]) - Number(hold[1]))}s`} from ${hold[2]}s after ${hold[3]}`;
  const at = /\(([\d.]+)s after ([\w-]+)\)/.exec(detail);
  return at ? `${at[1]}s after ${at[2]}` : detail;
};

/** `30s..50s after poweroff` / `for 1h` from an expectation's description. */
const windowOf = (description: string): string => /(?:within |(?=for ))(\S+(?: \S+)? after \S+)$/.exec(description)?.[1] ?? '';

/** The README table: observation in the article, the simulated time, the window, from `results` by scenario name. */
export const observationTable = (results: ReadonlyMap<string, ScenarioResult>): string => {
  const rows = ARTICLE_OBSERVATIONS.map((o) => {
    const result = results.get(o.scenario)?.expectations[o.expectation];
    if (result === undefined) throw new Error(`observationTable: no expectation ${o.expectation} in ${o.scenario}`);
    return `| ${o.scenario} | ${o.observation} | ${result.passed ? '' : '✗ '}${simulated(result.detail)} | ${windowOf(result.description)} |`;
  });
  return ['| scenario | observation in the article | simulated | window |', '|---|---|---|---|', ...rows].join('\n');
};
