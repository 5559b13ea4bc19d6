#!/usr/bin/env node
'use strict';
// Runs the TypeScript CLI through tsx's CommonJS loader (a devDependency), scoped to this entry so
// nothing else in the process is compiled on the fly.
const { register } = require('tsx/cjs/api');

const tsx = register({ namespace: 'outreach-cli' });
tsx.require('../main.ts', __filename).runFromProcess();
