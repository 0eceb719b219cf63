#!/usr/bin/env node
// Committed launcher: npm links a workspace bin only if its target exists at install
// time, and dist/ is built after `npm ci` (toolchain-notes pitfall 14).
import { setFlagsFromString } from 'node:v8';

// A simulation's heap is mostly long-lived (stored objects, caches, an hour of Events), and
// V8 sizes old space for short-lived garbage: after a fast full collection it lets the heap
// grow up to 4x the live size before the next one. A large cluster then peaks at ~1.9x its
// live heap in RSS; at 1.4x the collections are a little more frequent, the run about as
// fast, and a 5,000-node cluster stays under 2 GiB (docs/performance.md, "Peak RSS"). The
// flag is read at each collection, so setting it here, before anything is allocated,
// applies to the whole run.
setFlagsFromString('--heap-growing-percent=40');

await import('../dist/cli.js');
