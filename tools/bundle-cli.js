// Bundles the failsim CLI into one ESM file: one bundle starts in ~0.4 s where plain tsc
// output takes ~1 s (toolchain-notes §2.6). Usage: node tools/bundle-cli.js <entry> <outfile>
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  console.error('usage: node tools/bundle-cli.js <entry> <outfile>');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: false,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Ink imports react-devtools-core lazily; a bundle would make that import eager.
  alias: { 'react-devtools-core': join(here, 'react-devtools-stub.js') },
  // Bundled CommonJS dependencies call require().
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
