import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { runReadmeExample } from '../../../tools/readme-example.js';

describe('README example', () => {
  it('prints what the README says it prints', () => {
    const { printed, expected } = runReadmeExample(join(import.meta.dirname, '..'));
    expect(expected).toBeDefined();
    expect(printed).toBe(expected);
  });
});
