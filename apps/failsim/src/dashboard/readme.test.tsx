// The dashboard's part of apps/failsim/README.md is generated, and checked here: the text
// screenshot is renderFrame's frame at 160×48 at the Multi-Attach moment, and the key
// table is the key registry. `UPDATE_README=1` rewrites both blocks instead of failing.
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KEY_BINDINGS } from './keys.js';
import { renderFrame } from './render-frame.js';
import { multiAttachMoment } from './test-session.js';

const readme = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');

/** The text between `<!-- NAME:start -->` and `<!-- NAME:end -->`, without the markers. */
const block = (text: string, name: string): string | undefined => {
  const m = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(text);
  return m?.[1];
};
const replaceBlock = (text: string, name: string, body: string): string => text.replace(new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`), (_, a: string, b: string) => `${a}${body}${b}`);

/** The README's key table, one row per binding, in the registry's order. */
const keyTable = (): string =>
  ['| key | does |', '|---|---|', ...KEY_BINDINGS.map((b) => `| ${(b.label === '/' ? ['/'] : b.label.split('/')).map((k) => `\`${k}\``).join(' / ')} | ${b.description.replace(/\|/g, '\\|')} |`)].join('\n') + '\n';

describe('apps/failsim/README.md, Dashboard section', () => {
  const text = readFileSync(readme, 'utf8');
  const screenshot = '```text\n' + renderFrame(multiAttachMoment(), { columns: 160, rows: 48 }) + '\n```\n';
  const keys = keyTable();
  if (process.env['UPDATE_README']) writeFileSync(readme, replaceBlock(replaceBlock(text, 'dashboard-screenshot', screenshot), 'dashboard-keys', keys));
  const now = readFileSync(readme, 'utf8');

  it('shows the frame renderFrame draws at the Multi-Attach moment (160×48)', () => {
    expect(screenshot).toContain('✗ Multi-Attach: ');
    expect(screenshot).toMatch(/FailedAttachVolume +pod\/cassandra-0 +\d+ +Multi-Attach error for volume/);
    expect(block(now, 'dashboard-screenshot')).toBe(screenshot);
  });

  it('lists exactly the keys of the registry', () => {
    expect(block(now, 'dashboard-keys')).toBe(keys);
    expect(keys.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(KEY_BINDINGS.length);
  });
});
