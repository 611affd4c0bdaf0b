import { execFileSync } from "node:child_process";
import os from "node:os";
import { ROOT } from "../../lib/devnet/anvil";

/** Where and when a benchmark ran, written next to every result. */
export function machineInfo() {
  let commit = "unknown";
  // Other work in progress in the same tree changes what is measured (forge compiles the working tree).
  let uncommitted: string[] = [];
  try {
    commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    uncommitted = execFileSync("git", ["status", "--porcelain", "--", "bench/crash.ts", "bench/gas.ts", "bench/lib", "contracts/src", "contracts/script", "contracts/test/Gas.t.sol"], {
      cwd: ROOT,
      encoding: "utf8",
    })
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => l.slice(3));
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
    uncommittedFiles: uncommitted,
  };
}

export type MachineInfo = ReturnType<typeof machineInfo>;

export function machineMarkdown(m: MachineInfo): string {
  return [
    `- date: ${m.date}`,
    `- node ${m.node}, ${m.platform}`,
    `- CPU: ${m.cpuModel}, ${m.cores} cores, ${m.totalMemoryGiB} GiB RAM`,
    `- git commit: \`${m.gitCommit}\`` +
      (m.uncommittedFiles.length > 0 ? `, plus uncommitted changes in ${m.uncommittedFiles.map((f) => `\`${f}\``).join(", ")}` : ""),
  ].join("\n");
}
