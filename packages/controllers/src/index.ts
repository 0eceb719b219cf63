/**
 * @failsim/controllers — the Kubernetes control plane and the kubelet as reconcilers on
 * @failsim/core's API server, with version profiles.
 * @packageDocumentation
 */
export * from './profiles/profile.js';
export * from './profiles/profiles.js';
export * from './runtime/index.js';
