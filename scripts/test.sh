#!/usr/bin/env bash
# npm test: type-check, lint, then every vitest project (unit, integration, e2e).
# Ends with one plain line "tests: N passed, N failed, N skipped" for CI.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p tests/output
status=0
echo "== typecheck"; npm run -s typecheck || status=1
echo "== lint"; npm run -s lint || status=1
echo "== vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json=tests/output/vitest.json "$@" || status=1
node -e '
const r = JSON.parse(require("fs").readFileSync("tests/output/vitest.json", "utf8"));
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
if (r.numTotalTests === 0) process.exit(1);
' || status=1
exit $status
