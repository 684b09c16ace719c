import type { Config } from 'jest';

// Jest runs in ESM mode (NODE_OPTIONS=--experimental-vm-modules): execa is ESM-only and
// Jest 30 on Node 20 cannot require() it. See ../shared/PITFALLS.md.
const esm = (name: string, root: string, testMatch: string[]): Config => ({
  displayName: name,
  rootDir: root,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  testMatch,
  setupFiles: ['<rootDir>/' + (name === 'e2e' ? '..' : '../..') + '/tools/jest/hermetic-env.cjs'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleNameMapper: {
    '^@factory/core$': '<rootDir>/../core/src/index.ts',
    '^@factory/llm$': '<rootDir>/../llm/src/index.ts',
  },
});

const config: Config = {
  projects: [
    esm('core', '<rootDir>/packages/core', ['<rootDir>/src/**/*.spec.ts']),
    esm('llm', '<rootDir>/packages/llm', ['<rootDir>/src/**/*.spec.ts']),
    esm('factory-plugin', '<rootDir>/packages/factory-plugin', ['<rootDir>/src/**/*.spec.ts']),
    {
      ...esm('e2e', '<rootDir>/e2e', ['<rootDir>/**/*.e2e.ts']),
      moduleNameMapper: {
        '^@factory/core$': '<rootDir>/../packages/core/src/index.ts',
      },
    },
  ],
};

export default config;
