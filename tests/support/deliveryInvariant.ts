// Moved to testkit/deliveryInvariant.ts (shared by tests/ and bench/, issue 13); kept so test files import it as before.
export * from '../../testkit/deliveryInvariant.ts';
