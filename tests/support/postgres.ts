// Moved to testkit/postgres.ts (shared by tests/ and bench/, issue 13); kept so test files import it as before.
export * from '../../testkit/postgres.ts';
