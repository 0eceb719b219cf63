import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '../simulation.js';
import { right } from '../testing/either.js';
import { EventRecorder } from './event-recorder.js';
import { nodeLocation } from './reachability.js';

const setup = () => {
  const sim = createSimulation();
  const client = sim.api.client('attachdetach-controller');
  const pod = right(client.create('Pod', { metadata: { name: 'web-0' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
  const recorder = new EventRecorder(client, { component: 'attachdetach-controller' }, { trace: sim.trace });
  return { sim, client, pod, recorder };
};

describe('EventRecorder', () => {
  it('writes a core/v1 Event with upstream fields', () => {
    const { sim, client, pod, recorder } = setup();
    sim.clock.runFor(65_000);
    recorder.warning(pod, 'FailedAttachVolume', 'Multi-Attach error for volume "pvc-1" Volume is already exclusively attached to one node and can\'t be attached to another');
    const [event] = right(client.list('Event', { fieldSelector: 'involvedObject.name=web-0' })).items;
    expect(event).toMatchObject({
      type: 'Warning',
      reason: 'FailedAttachVolume',
      count: 1,
      firstTimestamp: '2019-06-01T00:01:05Z',
      lastTimestamp: '2019-06-01T00:01:05Z',
      source: { component: 'attachdetach-controller' },
      involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default', uid: pod.metadata?.uid },
      metadata: { namespace: 'default' },
    });
    expect(event?.metadata?.name).toMatch(/^web-0\.[0-9a-f]+$/);
  });

  it('aggregates the same event: count goes up and lastTimestamp moves', () => {
    const { sim, client, pod, recorder } = setup();
    recorder.normal(pod, 'Pulling', 'Pulling image "nginx"');
    sim.clock.runFor(10_000);
    recorder.normal(pod, 'Pulling', 'Pulling image "nginx"');
    sim.clock.runFor(10_000);
    recorder.normal(pod, 'Pulling', 'Pulling image "nginx"');
    const events = right(client.list('Event')).items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ count: 3, firstTimestamp: '2019-06-01T00:00:00Z', lastTimestamp: '2019-06-01T00:00:20Z' });
    expect(sim.trace.entries.filter((e) => e.type === 'event').map((e) => (e.type === 'event' ? e.count : 0))).toEqual([1, 2, 3]);
  });

  it('combines more than ten distinct messages for one object and reason', () => {
    const { client, pod, recorder } = setup();
    for (let i = 0; i < 12; i++) recorder.warning(pod, 'FailedMount', `attempt ${i}`);
    const messages = right(client.list('Event')).items.map((e) => e.message);
    expect(messages.filter((m) => m?.startsWith('(combined from similar events): '))).toHaveLength(1);
    expect(messages).toHaveLength(10);
  });

  it('drops events beyond the spam filter burst and refills one every five minutes', () => {
    const { sim, client, pod } = setup();
    const recorder = new EventRecorder(client, { component: 'kubelet', host: 'w1' }, { correlator: { maxSimilarEvents: 1000 } });
    const written = Array.from({ length: 30 }, (_, i) => recorder.warning(pod, 'BackOff', `m${i}`)).filter(Boolean);
    expect(written).toHaveLength(25);
    sim.clock.runFor(300_000);
    expect(recorder.warning(pod, 'BackOff', 'later')).toBeDefined();
    expect(recorder.warning(pod, 'BackOff', 'later still')).toBeUndefined();
  });

  it('loses events of a recorder that cannot reach the server', () => {
    const { sim, client, pod } = setup();
    const recorder = new EventRecorder(sim.api.client('kubelet', nodeLocation('w1')), { component: 'kubelet', host: 'w1' });
    sim.reachability.set(nodeLocation('w1'), false);
    expect(recorder.normal(pod, 'Killing', 'Stopping container c')).toBeUndefined();
    expect(right(client.list('Event')).items).toHaveLength(0);
  });

  it('lets Events expire after --event-ttl', () => {
    const { sim, client, pod, recorder } = setup();
    recorder.normal(pod, 'Scheduled', 'Successfully assigned default/web-0 to w1');
    sim.clock.runFor(3_599_000);
    expect(right(client.list('Event')).items).toHaveLength(1);
    sim.clock.runFor(1_000);
    expect(right(client.list('Event')).items).toHaveLength(0);
  });

  it('forgets the least recently written event beyond 4096, as client-go\'s LRU', () => {
    const { client, pod } = setup();
    // Neither the aggregator nor the spam filter in the way: only the LRU of logged events.
    const recorder = new EventRecorder(client, { component: 'kubelet', host: 'w1' }, { correlator: { maxSimilarEvents: 1e6, burst: 1e6 } });
    const count = (message: string): number | undefined => recorder.normal(pod, 'Test', message)?.count;
    expect(count('m0')).toBe(1);
    // The Event is gone: the next m0 creates it again (count 2) and makes it the newest.
    const name = right(client.list('Event')).items[0]?.metadata?.name ?? '';
    right(client.delete('Event', name));
    for (let i = 1; i < 4096; i++) count(`m${i}`);
    expect(count('m0')).toBe(2);
    // A count bump leaves the order as it is: m1, set before m0 was set again, goes first.
    expect(count('m2')).toBe(2);
    expect(count('m4096')).toBe(1);
    expect(count('m0')).toBe(3);
    expect(count('m1')).toBe(1);
    // m1 came back as the newest and pushed out m2, the oldest left.
    expect(count('m2')).toBe(1);
    expect(count('m3')).toBe(1);
  });
});

