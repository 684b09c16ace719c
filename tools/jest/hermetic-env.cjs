// Every test file runs as a new user would: no signing key of the person running the tests
// (FACTORY_SIGNING_KEY, ~/.config/factory/keys/) and no key a test stores lands in their home.
// One empty configuration directory per Jest worker, under the system's temporary directory.
'use strict';
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

process.env.FACTORY_TEST_CONFIG_HOME ??= mkdtempSync(path.join(tmpdir(), 'factory-test-config-'));
process.env.XDG_CONFIG_HOME = process.env.FACTORY_TEST_CONFIG_HOME;
delete process.env.FACTORY_SIGNING_KEY;
