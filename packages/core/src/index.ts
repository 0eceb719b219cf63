/**
 * @failsim/core — the simulation kernel (virtual clock, RxJS scheduler on virtual time,
 * seeded randomness, pacing, trace) and the state model: a Kubernetes-like API server
 * with resourceVersions, watches, selectors, finalizers, graceful deletion, admission,
 * events and a reachability model.
 * @packageDocumentation
 */
export * from './kernel/index.js';
export * from './trace/trace.js';
export * from './simulation.js';

export * from './api/errors.js';
export * from './api/resources.js';
export * from './api/reachability.js';
export * from './api/watch.js';
export * from './api/event-ttl.js';
export {
  ApiServer,
  type ApiServerOptions,
  type Caller,
  type DeleteOptions,
  type ListOptions,
  type ObjectList,
  type PatchOptions,
  type PatchType,
  type UpdateOptions,
  type WatchOptions,
} from './api/api-server.js';
export { ApiClient } from './api/client.js';
export { Informer, cacheKey, type InformerEvent } from './api/informer.js';
export { watchSink, type WatchSinkOptions } from './api/watch-sink.js';
export { EventRecorder, defaultCorrelatorOptions, type EventCorrelatorOptions, type EventSource, type EventType } from './api/event-recorder.js';
export { GarbageCollector } from './api/garbage-collector.js';
export {
  defaultAdmissionOptions,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_UNREACHABLE,
  validate as validateObject,
  type AdmissionOptions,
} from './api/admission.js';
export { deepEqual, deepEqualExcept, freezeBuilt, freezeBuiltTree, freezeCopy, thaw } from './api/immutable.js';
export * from './api/labels.js';
export * from './api/fields.js';
export * from './api/patch.js';
export type { ClockObserver } from './kernel/clock.js';
export { checkInvariants, type CoreInvariantRule, type InvariantChecker, type InvariantCheckerOptions } from './invariants/invariant-checker.js';
export { InvariantViolation, formatHistoryEntry, type InvariantHistoryEntry } from './invariants/invariant-violation.js';
