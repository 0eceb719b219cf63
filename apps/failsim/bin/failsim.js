#!/usr/bin/env node
// Committed launcher: npm links a workspace bin only if its target exists at install
// time, and dist/ is built after `npm ci` (toolchain-notes pitfall 14).
import '../dist/cli.js';
