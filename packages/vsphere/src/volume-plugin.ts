// The volume plugin contract this package implements. It is the same shape as
// @failsim/controllers' AttachableVolumePlugin (packages/controllers/src/storage/
// volume-plugin.ts, modelling pkg/volume/plugins.go Attacher/Detacher/DeviceMounter);
// that package's index does not export the interface yet, so it is restated here and
// TypeScript's structural typing makes these plugins assignable to it.
import type { SimClock } from '@failsim/core';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { Observable } from 'rxjs';

/** An attachable volume plugin (see @failsim/controllers storage/volume-plugin.ts). */
export interface AttachableVolumePlugin {
  readonly name: string;
  readonly usesVolumeAttachments: boolean;
  canSupport(pv: PersistentVolume): boolean;
  uniqueVolumeName(pv: PersistentVolume): string;
  attach(pv: PersistentVolume, nodeName: string): Observable<string>;
  detach(pv: PersistentVolume, nodeName: string): Observable<void>;
  /** Keyed by PersistentVolume name. */
  volumesAreAttached(pvs: readonly PersistentVolume[], nodeName: string): ReadonlyMap<string, boolean>;
  mount(pv: PersistentVolume, nodeName: string, podUid: string): Observable<void>;
  unmount(pv: PersistentVolume, nodeName: string, podUid: string): Observable<void>;
}

/**
 * Polls `ready` now and then every `intervalMs` until it is true (completes) or
 * `timeoutMs` has passed (errors with `timeoutText`): a kubelet WaitForAttach loop on
 * the virtual clock. Unsubscribing cancels the poll.
 */
export const pollUntil = (clock: SimClock, ready: () => boolean, intervalMs: number, timeoutMs: number, timeoutText: string, purpose: string): Observable<void> =>
  new Observable<void>((subscriber) => {
    const started = clock.now();
    let timer: { cancel(): void } | undefined;
    const check = (): void => {
      if (ready()) {
        subscriber.next();
        subscriber.complete();
      } else if (clock.now() - started >= timeoutMs) subscriber.error(timeoutText);
      else timer = clock.schedule(intervalMs, check, { owner: 'kubelet', purpose });
    };
    check();
    return () => timer?.cancel();
  });
