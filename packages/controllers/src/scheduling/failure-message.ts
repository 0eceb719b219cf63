// The message of a FailedScheduling event. Models FitError.Error() of
// pkg/scheduler/core/generic_scheduler.go (v1.12–v1.18: "0/N nodes are available: " and a
// histogram of the nodes' reasons, sorted as strings), the framework's FitError of
// pkg/scheduler/framework/types.go (v1.25+: PreFilter message, filter histogram, then the
// PostFilter "preemption: …" summary of pkg/scheduler/framework/preemption/preemption.go),
// and the aggregate of predicate errors (k8s.io/apimachinery/pkg/util/errors
// CreateAggregateFromMessageCountMap) that v1.12–v1.17 report instead when a predicate errs.

/** Why one node cannot take the pod, as a filter plugin's status says it. */
export interface NodeRejection {
  /** The status's reasons; each counts once in the histogram. */
  readonly reasons: readonly string[];
  /** UnschedulableAndUnresolvable: removing pods would not help, so preemption skips the node. */
  readonly unresolvable: boolean;
}

/** How the version prints a FitError. */
export interface FitErrorStyle {
  /**
   * End of the `preemption: …` summary (texts.failedSchedulingPreemptionEnd); '' for a
   * version without it.
   */
  readonly preemptionEnd: '' | '.' | '..';
  /** The pod's spec.preemptionPolicy is Never: preemption reports that instead of a node count. */
  readonly preemptionNever?: boolean;
}

/** NoNodeAvailableMsg. */
const noNodeAvailable = (numAllNodes: number): string => `0/${numAllNodes} nodes are available`;

/** Reasons counted and sorted the way sortReasonsHistogram does ("2 Insufficient cpu"). */
export const reasonHistogram = (reasons: Iterable<string>): string[] => {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  // Go's sort.Strings compares bytes; for these ASCII texts that is UTF-16 code unit order.
  return [...counts].map(([reason, count]) => `${count} ${reason}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
};

/** Reason a node gets in the preemption summary (nodesWherePreemptionMightHelp, SelectVictimsOnNode). */
const preemptionReason = (rejection: NodeRejection): string =>
  // Every pod in failsim has the same priority, so a node whose reasons removing pods could
  // cure has no lower-priority victim to remove.
  rejection.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod';

/**
 * The message of a pod no node can take.
 *
 * @param numAllNodes every node the scheduler knows, also those it did not look at.
 * @param rejections one per node that was looked at.
 * @param preFilterMessage the reason a PreFilter plugin rejected the pod for all nodes
 *   (v1.19+); the histogram is then left out.
 */
export const fitErrorMessage = (
  numAllNodes: number,
  rejections: readonly NodeRejection[],
  style: FitErrorStyle,
  preFilterMessage?: string,
): string => {
  const histogram = reasonHistogram(rejections.flatMap((r) => r.reasons));
  if (style.preemptionEnd === '') return `${noNodeAvailable(numAllNodes)}: ${histogram.join(', ')}.`;
  let message = `${noNodeAvailable(numAllNodes)}:`;
  if (preFilterMessage !== undefined) message += ` ${preFilterMessage}.`;
  else if (histogram.length > 0) message += ` ${histogram.join(', ')}.`;
  const preemption = style.preemptionNever
    ? 'preemption: not eligible due to preemptionPolicy=Never.'
    : `preemption: ${noNodeAvailable(rejections.length)}: ${reasonHistogram(rejections.map(preemptionReason)).join(', ')}.`;
  return `${message} ${preemption}${style.preemptionEnd === '..' ? '.' : ''}`;
};

/** {@link aggregateErrors} of one message that `count` nodes gave: without a map to build and sort. */
export const aggregateError = (message: string, count: number): string => (count > 1 ? `${message} (repeated ${count} times)` : message);

/**
 * Predicate errors as v1.12–v1.17 report them: each distinct message once, with
 * " (repeated N times)" when several nodes gave it; several messages in brackets.
 */
export const aggregateErrors = (counts: ReadonlyMap<string, number>): string => {
  const messages = [...counts]
    .map(([message, count]) => aggregateError(message, count))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return messages.length === 1 ? (messages[0] ?? '') : `[${messages.join(', ')}]`;
};
