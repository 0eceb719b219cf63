import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { isLiteral, parseTemplate } from './reference.js';

describe('parseTemplate', () => {
  it('splits text and the five reference forms', () => {
    expect(parseTemplate('pv/{{ pv of pvc cassandra/cassandra-data-cassandra-0 }}')).toEqual(
      E.right({ raw: 'pv/{{ pv of pvc cassandra/cassandra-data-cassandra-0 }}', parts: ['pv/', { kind: 'pv-of-pvc', namespace: 'cassandra', pvc: 'cassandra-data-cassandra-0' }] }),
    );
    expect(parseTemplate('node/{{ node of pod cassandra/cassandra-0 }}')).toEqual(
      E.right({ raw: 'node/{{ node of pod cassandra/cassandra-0 }}', parts: ['node/', { kind: 'node-of-pod', namespace: 'cassandra', pod: 'cassandra-0' }] }),
    );
    const all = parseTemplate('{{vm of node w1}} {{ vm of pod a/b }} {{ disk of pvc cassandra/cassandra-data-cassandra-0 on vm vm-1 }}');
    expect(E.isRight(all) && all.right.parts).toEqual([
      { kind: 'vm-of-node', node: 'w1' },
      ' ',
      { kind: 'vm-of-pod', namespace: 'a', pod: 'b' },
      ' ',
      { kind: 'disk-of-pvc', namespace: 'cassandra', pvc: 'cassandra-data-cassandra-0', vm: 'vm-1' },
    ]);
  });
  it('keeps plain text literal', () => {
    const plain = parseTemplate('cassandra-0');
    expect(E.isRight(plain) && isLiteral(plain.right)).toBe(true);
  });
  it('refuses unknown forms, bad names, nesting and unbalanced braces', () => {
    expect(parseTemplate('{{ ip of node w1 }}')).toEqual(
      E.left('unknown reference "{{ ip of node w1 }}" (use "node of pod NS/NAME", "vm of node NAME", "vm of pod NS/NAME", "pv of pvc NS/NAME" or "disk of pvc NS/NAME on vm VM")'),
    );
    expect(parseTemplate('{{ node of pod cassandra-0 }}')).toEqual(E.left('invalid pod "cassandra-0" (use namespace/name)'));
    expect(parseTemplate('{{ vm of node W1 }}')).toEqual(E.left('invalid node name "W1"'));
    expect(parseTemplate('{{ vm of node {{ x }} }}')).toEqual(E.left('references do not nest: "{{ vm of node {{ x }} }}"'));
    expect(parseTemplate('a {{ vm of node w1')).toEqual(E.left('unclosed "{{" in "a {{ vm of node w1"'));
    expect(parseTemplate('a }}')).toEqual(E.left('"}}" without "{{" in "a }}"'));
  });
});
