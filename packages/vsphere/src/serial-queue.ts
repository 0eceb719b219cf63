// Runs Observable-returning operations one at a time per key, as the VCP's per-node lock
// (vsphere.go AttachDisk/DetachDisk take `vs.vmUUIDLock` / a node lock) serialises
// reconfigurations of one VM.
import { Observable, type Subscription } from 'rxjs';

/** One-at-a-time execution per key. */
export class SerialQueue {
  readonly #queues = new Map<string, (() => void)[]>();

  /** Runs `work` once every earlier operation on `key` has finished. */
  run<T>(key: string, work: () => Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let inner: Subscription | undefined;
      let done = false;
      const start = (): void => {
        inner = work().subscribe({
          next: (v) => subscriber.next(v),
          error: (e: unknown) => {
            this.#release(key);
            subscriber.error(e);
          },
          complete: () => {
            this.#release(key);
            subscriber.complete();
          },
        });
      };
      const queue = this.#queues.get(key);
      const entry = (): void => {
        if (!done) start();
        else this.#release(key);
      };
      if (queue) queue.push(entry);
      else {
        this.#queues.set(key, []);
        start();
      }
      return () => {
        done = true;
        inner?.unsubscribe();
      };
    });
  }

  #release(key: string): void {
    const queue = this.#queues.get(key);
    const next = queue?.shift();
    if (next) next();
    else this.#queues.delete(key);
  }
}
