import { describe, expect, it } from '@jest/globals';
import { recordingIo } from '../test-io.js';
import { list, listTable } from './list.js';

describe('failsim list', () => {
  it('prints a padded NAME TITLE PROFILE table', () => {
    expect(listTable([
      { name: 'statefulset-node-poweroff', title: 'StatefulSet pod on a powered-off worker', profile: '1.12', file: '/x.yaml' },
      { name: 'drain', title: 'Drain', profile: '1.28', file: '/y.yaml' },
    ])).toBe(
      'NAME                        TITLE                                     PROFILE\n' +
        'statefulset-node-poweroff   StatefulSet pod on a powered-off worker   1.12\n' +
        'drain                       Drain                                     1.28\n',
    );
  });

  it('says on stderr when the library is empty, and succeeds', () => {
    const io = recordingIo();
    expect(list(io, [])).toBe(0);
    expect(io.text).toEqual({ out: 'NAME   TITLE   PROFILE\n', err: 'the scenario library is empty\n' });
  });
});
