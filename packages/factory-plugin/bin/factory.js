#!/usr/bin/env node
'use strict';
const { version } = require('../package.json');
require('../dist/cli/main.cjs')
  .main(process.argv.slice(2), { version })
  .then((code) => {
    process.exitCode = code;
  });
