import { describe, expect, it } from '@jest/globals';
import { recordingIo } from './test-io.js';

describe('recordingIo', () => {
  it('keeps stdout and stderr apart', () => {
    const io = recordingIo();
    io.out('a');
    io.err('b');
    io.out('c\n');
    expect(io.text).toEqual({ out: 'ac\n', err: 'b' });
  });
});
