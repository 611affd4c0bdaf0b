/**
 * A vitest reporter that ends the run with one short block per failed test: its name and the first lines of its
 * error. The default reporter prints every failure in full (serialized viem errors run to hundreds of lines), so a
 * CI log that keeps only its tail loses the first failure, which is usually the cause of the others.
 */
import type { Reporter, TestModule } from "vitest/node";

const LINES_PER_ERROR = 6;
const CHARS_PER_LINE = 300;

function shorten(text: string): string {
  return text
    .split("\n")
    // Frames inside dependencies and the runner say nothing about which line of ours failed.
    .filter((line) => line.trim() !== "" && !/node_modules|\(<anonymous>\)|^\s*at node:/.test(line))
    .slice(0, LINES_PER_ERROR)
    .map((line) => (line.length > CHARS_PER_LINE ? `${line.slice(0, CHARS_PER_LINE)}…` : line))
    .join("\n    ");
}

export default class FailureSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string; stack?: string }>) {
    const lines: string[] = [];
    for (const testModule of testModules) {
      for (const error of testModule.errors()) lines.push(`✗ ${testModule.relativeModuleId} (file)\n    ${shorten(error.stack ?? error.message)}`);
      for (const test of testModule.children.allTests()) {
        const result = test.result();
        if (result.state !== "failed") continue;
        const where = `${testModule.relativeModuleId} › ${test.fullName}`;
        for (const error of result.errors ?? []) lines.push(`✗ ${where}\n    ${shorten(error.stack ?? error.message)}`);
      }
    }
    for (const error of unhandledErrors) lines.push(`✗ unhandled error\n    ${shorten(error.stack ?? error.message ?? String(error))}`);
    if (lines.length === 0) return;
    process.stdout.write(`\nFailures in the order they ran (first lines of each):\n${lines.join("\n")}\n`);
  }
}
