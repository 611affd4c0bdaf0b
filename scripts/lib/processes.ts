/**
 * Child processes for the one-command devnet: each runs in its own process group so stopping it also stops whatever
 * it spawned (tsx's node child, Next's workers), and its output is shown line by line with a short prefix.
 */
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; formatLine?: (line: string) => string | undefined },
): ManagedProcess {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const prefix = `[${name}]`;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on("line", (line) => {
      const text = opts.formatLine ? opts.formatLine(line) : line;
      if (text !== undefined && text.trim() !== "") console.log(`${prefix} ${text}`);
    });
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(-1));
  });
  return {
    name,
    child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      signalGroup(child.pid, "SIGTERM");
      const timer = setTimeout(() => signalGroup(child.pid!, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
      // Grandchildren that ignored SIGTERM must not outlive the run.
      signalGroup(child.pid, "SIGKILL");
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

const LEVELS: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

/** Turns a pino JSON line into `level message key=value …` for a readable console. */
export function formatPinoLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, msg, time: _time, pid: _pid, hostname: _hostname, name: _name, ...rest } = entry;
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
  return `${LEVELS[level as number] ?? level} ${String(msg)}${fields ? ` ${fields}` : ""}`;
}
