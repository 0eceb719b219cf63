// Models no single upstream file: the shape of a kubelet heartbeat as tryUpdateNodeStatus
// (kubernetes/kubernetes release-1.12 … release-1.28 pkg/kubelet/kubelet_node_status.go)
// writes it when nothing but time has passed: the conditions' lastHeartbeatTime moves,
// the API server bumps resourceVersion, and nothing else changes. Every Node handler of
// the controllers treats such an update as a no-op (upstream's handlers compare the
// fields they read and find them equal); this answers the question once per update.
import type { Node, NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';

/**
 * Whether `b` has the same keys as `a`, each value identical, the values of `skip` and
 * `skip2` aside. Stored objects are plain JSON objects (nothing enumerable inherited), so
 * for-in walks their own keys; equal key counts and every key of `a` present in `b` make
 * the key sets equal.
 */
const sameMembersExcept = (a: object, b: object, skip: string, skip2: string = skip): boolean => {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const key in ra) {
    count++;
    if (key === skip || key === skip2) {
      if (!(key in rb)) return false;
      continue;
    }
    const value = ra[key];
    if (value !== rb[key] || (value === undefined && !(key in rb))) return false;
  }
  for (const _key in rb) count--;
  return count === 0;
};

const sameConditionsExceptHeartbeat = (a: readonly NodeCondition[] | undefined, b: readonly NodeCondition[] | undefined): boolean => {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && (x === undefined || y === undefined || !sameMembersExcept(x, y, 'lastHeartbeatTime'))) return false;
  }
  return true;
};

/**
 * The status the kubelet last built as a heartbeat of a stored status (`noted.from`): the
 * same members but the conditions, and conditions that differ in lastHeartbeatTime only.
 * Told by the builder, so that the question below need not walk the status (a dozen
 * members, five conditions) on every heartbeat of every node. One slot, not a WeakMap
 * (whose set cost more than the walks it saved): the API server hands the write to its
 * watchers before the next node's heartbeat is built, and a miss only means comparing.
 */
let notedBuilt: NodeStatus | undefined;
let notedFrom: NodeStatus | undefined;

/**
 * Records that `built` differs from `from` in its conditions' lastHeartbeatTime only. The
 * caller vouches for it (kubelet-node-status's heartbeatStatus of a heartbeat-stable status);
 * both are frozen, so the claim stays true.
 */
export const noteHeartbeatStatus = (built: NodeStatus, from: NodeStatus): void => {
  notedBuilt = built;
  notedFrom = from;
};

/**
 * The last pair asked and its answer: every watcher of the Node kind is handed the same
 * stored (frozen, so unchanging) old and new objects one after the other, so the first
 * handler pays for the comparison and the others read it back.
 */
let lastOld: Node | undefined;
let lastCur: Node | undefined;
let lastAnswer = false;

/**
 * Whether `cur` differs from `old` in nothing but resourceVersion and the conditions'
 * lastHeartbeatTime — a kubelet heartbeat. Identity, member by member: a member that is an
 * equal but different object answers false, and the caller then takes its full path, so a
 * handler that returns early on true behaves exactly as one that compared everything.
 */
export const isNodeHeartbeatOnly = (old: Node, cur: Node): boolean => {
  if (old === lastOld && cur === lastCur) return lastAnswer;
  const answer = nodeHeartbeatOnly(old, cur);
  // Only frozen (stored) objects can be remembered: a caller's own object may change later.
  if (Object.isFrozen(old) && Object.isFrozen(cur)) {
    lastOld = old;
    lastCur = cur;
    lastAnswer = answer;
  }
  return answer;
};

const nodeHeartbeatOnly = (old: Node, cur: Node): boolean => {
  if (old === cur) return true;
  if (old.spec !== cur.spec || !sameMembersExcept(old, cur, 'metadata', 'status')) return false;
  const om = old.metadata;
  const cm = cur.metadata;
  if (om !== cm && (om === undefined || cm === undefined || !sameMembersExcept(om, cm, 'resourceVersion'))) return false;
  const os = old.status;
  const cs = cur.status;
  if (os === cs) return true;
  if (os === undefined || cs === undefined) return false;
  if (cs === notedBuilt && os === notedFrom) return true;
  if (!sameMembersExcept(os, cs, 'conditions')) return false;
  return sameConditionsExceptHeartbeat(os.conditions, cs.conditions);
};
