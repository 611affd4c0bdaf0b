import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDeployment, type Deployment } from "../chain/deployment";
import { ANVIL_ACCOUNTS } from "../chain/devnet";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(ROOT, "node_modules/.bin");

export interface AnvilHandle {
  rpcUrl: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Resolves true when something already listens on 127.0.0.1:`port`. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function requireBinary(name: string): string {
  const bin = path.join(BIN, name);
  if (!existsSync(bin)) {
    throw new Error(`${name} is not installed (expected ${bin}). Run \`npm install\` first.`);
  }
  return bin;
}

async function rpcReady(rpcUrl: string): Promise<boolean> {
  try {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts anvil from node_modules (never through npx, whose wrapper orphans anvil when killed).
 * Throws a plain message when the port is taken.
 */
export async function startAnvil(opts: { port?: number; blockTime?: number; args?: string[] } = {}): Promise<AnvilHandle> {
  // Several test files start anvils at once: the OS may hand two of them the same free port. The one that loses the
  // bind exits, and must not mistake the winner's answers for its own, so it tries again on another port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startAnvilOn(opts.port ?? (await freePort()), opts);
    } catch (error) {
      if (opts.port !== undefined || attempt >= 5 || !(error instanceof PortLostError)) throw error;
    }
  }
}

class PortLostError extends Error {}

async function startAnvilOn(port: number, opts: { blockTime?: number; args?: string[] }): Promise<AnvilHandle> {
  if (await portInUse(port)) {
    throw new PortLostError(`Port ${port} is already in use: stop whatever listens there or choose another port.`);
  }
  const args = ["--port", String(port), "--host", "127.0.0.1", "--chain-id", "31337", "--silent"];
  if (opts.blockTime) args.push("--block-time", String(opts.blockTime));
  args.push(...(opts.args ?? []));
  const child = spawn(requireBinary("anvil"), args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d.toString()));
  const rpcUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  while (!(await rpcReady(rpcUrl))) {
    if (exited()) throw new PortLostError(`anvil exited (${child.exitCode}): ${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`anvil did not answer on ${rpcUrl} within 15 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Something answers; make sure it is this anvil (one that lost the bind exits at once).
  await new Promise((r) => setTimeout(r, 300));
  if (exited()) throw new PortLostError(`anvil exited (${child.exitCode}) after another process answered on ${rpcUrl}: ${stderr.trim()}`);
  return {
    rpcUrl,
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        // A child killed by a signal has exitCode null but signalCode set: either way it is gone.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        // anvil writes its --state file on SIGTERM; on a loaded machine that can take seconds, so give it time.
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}

/**
 * Runs `contracts/script/Deploy.s.sol` against `rpcUrl` with anvil account 0 and returns the parsed deployment.
 * `deploymentFile` must lie under `deployments/` (forge's fs_permissions); scratch deployments belong in
 * `deployments/.local/`, which git ignores.
 */
export async function deployMarket(opts: {
  rpcUrl: string;
  mode?: "soft" | "conventional";
  deploymentFile: string;
  privateKey?: string;
}): Promise<Deployment> {
  const forge = requireBinary("forge");
  const args = [
    "script",
    "contracts/script/Deploy.s.sol",
    "--rpc-url",
    opts.rpcUrl,
    "--broadcast",
    "--private-key",
    opts.privateKey ?? ANVIL_ACCOUNTS[0]!.privateKey,
    "--slow",
  ];
  const file = path.isAbsolute(opts.deploymentFile) ? opts.deploymentFile : path.join(ROOT, opts.deploymentFile);
  if (!file.startsWith(path.join(ROOT, "deployments") + path.sep)) {
    throw new Error(`deploymentFile must be inside ${path.join(ROOT, "deployments")} (got ${file})`);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  const env = { ...process.env, MARKET_MODE: opts.mode ?? "soft", DEPLOYMENT_FILE: file };
  await new Promise<void>((resolve, reject) => {
    const child = spawn(forge, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d.toString()));
    child.stderr.on("data", (d) => (out += d.toString()));
    child.once("error", reject);
    // forge script can exit 0 after a failed run, so its output is checked too.
    child.once("exit", (code) =>
      code === 0 && !/^Error:/m.test(out) && existsSync(file)
        ? resolve()
        : reject(new Error(`forge script failed (exit ${code}):\n${out.slice(-4000)}`)),
    );
  });
  return parseDeployment(JSON.parse(readFileSync(file, "utf8")), file);
}
