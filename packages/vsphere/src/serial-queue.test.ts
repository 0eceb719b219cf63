import { describe, expect, it } from '@jest/globals';
import { SimClock } from '@failsim/core';
import { Observable } from 'rxjs';
import { SerialQueue } from './serial-queue.js';

describe('SerialQueue', () => {
  it('runs operations on one key one after another, other keys in parallel', () => {
    const clock = new SimClock();
    const q = new SerialQueue();
    const log: string[] = [];
    const op = (name: string) => () =>
      new Observable<void>((s) => {
        log.push(`${clock.now()} start ${name}`);
        clock.schedule(1_000, () => s.complete(), { owner: 'test', purpose: name });
      });
    q.run('w1', op('a')).subscribe();
    q.run('w1', op('b')).subscribe();
    q.run('w2', op('c')).subscribe();
    clock.runUntilIdle();
    expect(log).toEqual(['0 start a', '0 start c', '1000 start b']);
  });
});
