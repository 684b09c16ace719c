#!/usr/bin/env node
'use strict';
const { version } = require('../package.json');
require('../dist/cli/main.js')
  .main(process.argv.slice(2), { version })
  .then((code) => {
    process.exitCode = code;
  });
