import { describe, expect, it } from '@jest/globals';
import { plainFrame } from './fixtures.js';
import { CommandLine } from './CommandLine.js';

describe('CommandLine', () => {
  it('shows the prompt being typed with its completions', () => {
    expect(plainFrame(<CommandLine mode=":" text="kubectl delete node w" completions={['kubectl delete node worker-0', 'kubectl delete node worker-1']} width={120} />)).toBe(
      ':kubectl delete node w▏   (kubectl delete node worker-0 kubectl delete node worker-1; Tab completes)',
    );
    expect(plainFrame(<CommandLine mode="/" text="cass" width={40} />)).toBe('/cass▏');
  });

  it('shows an error as one line led by ✗, other messages as they are', () => {
    expect(plainFrame(<CommandLine text="" message={{ text: 'unknown command or view "frob"', error: true }} width={80} />)).toBe('✗ unknown command or view "frob"');
    expect(plainFrame(<CommandLine text="" message={{ text: '$ kubectl cordon worker-0', error: false }} width={80} />)).toBe('$ kubectl cordon worker-0');
  });
});
