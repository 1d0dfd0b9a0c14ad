/** Unit tests end in `.unit.test.ts`, integration tests (real Temporal, database, SMTP) in `.int.test.ts`. */
const transform = { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }] };

module.exports = {
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, testMatch: ['<rootDir>/{src,test}/**/*.unit.test.ts'] },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
    },
    {
      displayName: 'faults',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/faults/**/*.fault.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
    },
  ],
};
