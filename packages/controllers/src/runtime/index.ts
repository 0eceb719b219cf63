export * from './context.js';
export * from './periodic.js';
export * from './pod-util.js';
export * from './shared-informers.js';
export * from './work-queue.js';
export { isNodeHeartbeatOnly } from './node-heartbeat.js';
