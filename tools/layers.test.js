// Checks DESIGN.md's dependency direction two ways: ESLint (as configured for `npm run
// lint`) rejects a forbidden import in each layer, and no package.json declares one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { layers } from './layers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });
const entryOf = (layer) => join(root, layer.root, 'src', layer.root.startsWith('apps/') ? 'main.ts' : 'index.ts');

for (const layer of layers) {
  test(`${layer.name}: lint rejects imports of ${layer.forbidden.join(', ') || 'nothing'}`, async () => {
    for (const forbidden of layer.forbidden) {
      const [result] = await eslint.lintText(`import * as x from '${forbidden}';\nexport default x;\n`, { filePath: entryOf(layer) });
      const messages = result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
      assert.equal(messages.length, 1, `${layer.name} importing ${forbidden} should be an error`);
      assert.equal(messages[0].severity, 2);
    }
  });

  test(`${layer.name}: lint rejects deep imports into another package`, async () => {
    const [result] = await eslint.lintText(`import * as x from '@failsim/core/src/api/api-server.js';\nexport default x;\n`, { filePath: entryOf(layer) });
    assert.ok(result.messages.some((m) => m.ruleId === 'no-restricted-imports'));
  });

  test(`${layer.name}: package.json declares no forbidden dependency`, () => {
    const pkg = JSON.parse(readFileSync(join(root, layer.root, 'package.json'), 'utf8'));
    const declared = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies });
    assert.deepEqual(declared.filter((d) => layer.forbidden.includes(d)), []);
  });
}

test('an allowed import is not reported', async () => {
  const controllers = layers.find((l) => l.name === '@failsim/controllers');
  const [result] = await eslint.lintText(`import * as x from '@failsim/core';\nexport default x;\n`, { filePath: entryOf(controllers) });
  assert.equal(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').length, 0);
});
