// Moved to testkit/swift.ts (shared by tests/ and bench/, issue 16); kept so test files import it as before.
export * from '../../testkit/swift.ts';
