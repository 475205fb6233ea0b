// Prints vitest's result as the plain closing line CI reads: "tests: N passed, N failed, N skipped".
// Exits non-zero when no test ran, so an empty run can never pass.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = passed === 0 || failed > 0 || skipped > 0 ? 1 : 0;
