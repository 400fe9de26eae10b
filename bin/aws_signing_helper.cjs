#!/usr/bin/env node
// Both bins (aws_signing_helper, roles-anywhere-helper) are this file. Node 22+ caches compiled code
// between runs, which credential-process (run on every AWS CLI call) gains from; Node 20 lacks it.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/cli.js');
