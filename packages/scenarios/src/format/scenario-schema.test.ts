import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { scenarioSchema } from './scenario-schema.js';

const file = new URL('./scenario.schema.json', import.meta.url);

describe('scenario.schema.json', () => {
  it('is scenarioSchema, as shipped for editors (UPDATE_SCHEMA=1 rewrites it)', () => {
    const generated = `${JSON.stringify(scenarioSchema, null, 2)}\n`;
    if (process.env['UPDATE_SCHEMA'] === '1') writeFileSync(file, generated);
    expect(readFileSync(file, 'utf8')).toBe(generated);
  });
});
