// What the two "migrations over data" tests (booth outbox: tests/uploader/migrationsOverData.int.test.ts,
// intake store: tests/intake/migrationsOverData.int.test.ts) share: the guard that a migration added
// without a case of its own fails the test, naming the migration and the file to add the case to.
import { expect } from 'vitest';

/**
 * Every migration after the first (`shipped`, in the order they run) has a case (`covered`), and no
 * case names a migration that does not exist. The first migration builds the schema from nothing:
 * there is no data before it.
 */
export function expectACasePerMigration(shipped: readonly string[], covered: readonly string[], testFile: string): void {
  const missing = shipped.slice(1).filter((m) => !covered.includes(m));
  const unknown = covered.filter((m) => !shipped.includes(m));
  expect(
    { missing, unknown },
    `a migration needs a case in ${testFile} (rows as the version before it wrote them; docs/BACKOFFICE.md "Migrations")`,
  ).toEqual({ missing: [], unknown: [] });
}
