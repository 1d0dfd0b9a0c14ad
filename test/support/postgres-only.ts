// Suites that need a real PostgreSQL server (two processes on one database, its own counters): they run when
// TEST_DATABASE_URL is set, as in CI's PostgreSQL step, and are reported as skipped on the embedded PGlite run.

/** `describe` with TEST_DATABASE_URL set, else `describe.skip`; say the condition in the suite's title. */
export const describeWithPostgres: jest.Describe = process.env.TEST_DATABASE_URL ? describe : describe.skip;
