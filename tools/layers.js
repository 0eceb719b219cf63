// The dependency direction of DESIGN.md, as data: which of our packages each project may
// not import. Used by eslint.config.js (imports) and tools/layers.test.js (package.json).
const all = [
  '@failsim/core',
  '@failsim/controllers',
  '@failsim/vsphere',
  '@failsim/bosh',
  '@failsim/scenarios',
  'failsim',
];
const allowing = (...allowed) => all.filter((p) => !allowed.includes(p));

export const layers = [
  { name: '@failsim/core', root: 'packages/core', forbidden: allowing() },
  { name: '@failsim/controllers', root: 'packages/controllers', forbidden: allowing('@failsim/core') },
  { name: '@failsim/vsphere', root: 'packages/vsphere', forbidden: allowing('@failsim/core', '@failsim/controllers') },
  { name: '@failsim/bosh', root: 'packages/bosh', forbidden: allowing('@failsim/core', '@failsim/controllers') },
  {
    name: '@failsim/scenarios',
    root: 'packages/scenarios',
    forbidden: allowing('@failsim/core', '@failsim/controllers', '@failsim/vsphere', '@failsim/bosh'),
  },
  { name: 'failsim', root: 'apps/failsim', forbidden: allowing(...all.filter((p) => p !== 'failsim')) },
].map((layer) => ({ ...layer, forbidden: layer.forbidden.filter((p) => p !== layer.name) }));
