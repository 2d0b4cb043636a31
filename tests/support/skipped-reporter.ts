import type { Reporter, TestModule } from 'vitest/node';

/**
 * Names every skipped test at the end of a run, so that "PostgreSQL tests skipped because
 * DATABASE_URL is unset" is visible rather than hidden in a count.
 */
export default class SkippedReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests('skipped')) skipped.push(`${module.moduleId.split('/tests/')[1] ?? module.moduleId} > ${test.fullName}`);
    }
    if (skipped.length === 0) return;
    const why = process.env.DATABASE_URL ? '' : ' (DATABASE_URL is unset: PostgreSQL-only tests do not run)';
    process.stdout.write(`\nSkipped tests: ${skipped.length}${why}\n${skipped.map((name) => `  - ${name}`).join('\n')}\n`);
  }
}
