#!/usr/bin/env node
// Both bins (aws_signing_helper, roles-anywhere-helper) are this file. CommonJS, because it starts faster
// than an ES module on Node 20; Node 22+ also caches compiled code between runs (Node 20 lacks it), which
// credential-process, run on every AWS CLI call, gains from.
require('node:module').enableCompileCache?.();
require('../dist/cli.cjs');
