import { describe, expect, it } from '@jest/globals';
import { MinHeap } from './min-heap.js';

describe('MinHeap', () => {
  it('pops in order, FIFO among equal keys when the order says so', () => {
    let seq = 0;
    const heap = new MinHeap<{ key: number; seq: number; name: string }>((a, b) => a.key < b.key || (a.key === b.key && a.seq < b.seq));
    for (const [key, name] of [[5, 'e'], [1, 'a1'], [3, 'c'], [1, 'a2'], [4, 'd'], [1, 'a3']] as const) heap.push({ key, seq: seq++, name });
    const out: string[] = [];
    for (let x = heap.pop(); x; x = heap.pop()) out.push(x.name);
    expect(out).toEqual(['a1', 'a2', 'a3', 'c', 'd', 'e']);
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBeUndefined();
  });

  it('removes from the middle and re-sorts a changed key', () => {
    const heap = new MinHeap<{ v: number }>((a, b) => a.v < b.v);
    const items = [7, 2, 9, 4, 6, 1, 8].map((v) => ({ v }));
    for (const item of items) heap.push(item);
    expect(heap.removeAt(heap.findIndex((x) => x.v === 4))).toEqual({ v: 4 });
    expect(heap.removeAt(-1)).toBeUndefined();
    const top = heap.peek()!;
    top.v = 10;
    heap.fix(0);
    const out: number[] = [];
    for (let x = heap.pop(); x; x = heap.pop()) out.push(x.v);
    expect(out).toEqual([2, 6, 7, 8, 9, 10]);
  });

  it('stays ordered under random pushes and pops', () => {
    const heap = new MinHeap<number>((a, b) => a < b);
    let x = 12345;
    const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648);
    const mirror: number[] = [];
    for (let i = 0; i < 2000; i++) {
      if (next() % 3 === 0 && mirror.length > 0) {
        mirror.sort((a, b) => a - b);
        expect(heap.pop()).toBe(mirror.shift());
      } else {
        const v = next() % 1000;
        heap.push(v);
        mirror.push(v);
      }
    }
    expect(heap.size).toBe(mirror.length);
  });
});
