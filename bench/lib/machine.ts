import { execFileSync } from "node:child_process";
import os from "node:os";
import { ROOT } from "../../scripts/lib/anvil";

/** Where and when a benchmark ran, written next to every result. */
export function machineInfo() {
  let commit = "unknown";
  let dirty = false;
  try {
    commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    dirty = execFileSync("git", ["status", "--porcelain", "--", "bench", "contracts"], { cwd: ROOT, encoding: "utf8" }).trim() !== "";
  } catch {
    // not a git checkout: leave "unknown"
  }
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    gitCommit: commit,
    uncommittedChangesInBenchOrContracts: dirty,
  };
}

export type MachineInfo = ReturnType<typeof machineInfo>;

export function machineMarkdown(m: MachineInfo): string {
  return [
    `- date: ${m.date}`,
    `- node ${m.node}, ${m.platform}`,
    `- CPU: ${m.cpuModel}, ${m.cores} cores, ${m.totalMemoryGiB} GiB RAM`,
    `- git commit: \`${m.gitCommit}\`${m.uncommittedChangesInBenchOrContracts ? " (with uncommitted changes under bench/ or contracts/)" : ""}`,
  ].join("\n");
}
