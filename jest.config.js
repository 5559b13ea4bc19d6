/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/support/leak-check-environment.ts',
  roots: ['<rootDir>/server', '<rootDir>/clients', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
