// The volume plugin contract this package implements is @failsim/controllers'
// AttachableVolumePlugin (pkg/volume/plugins.go Attacher/Detacher/DeviceMounter).
import type { SimClock } from '@failsim/core';
import { Observable } from 'rxjs';

export type { AttachableVolumePlugin } from '@failsim/controllers';

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
