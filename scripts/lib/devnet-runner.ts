/**
 * The one-command devnet behind `npm run dev` (chain + seed + keeper + web) and `npm run devnet` (without web).
 * Every failure a newcomer can hit (missing install, busy port, failed build) ends in one clear line, and Ctrl-C
 * (or SIGTERM) stops every child before exiting, so the next run starts cleanly.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { DEVNET_CHAIN_ID } from "../../lib/chain/devnet";
import { ROOT, deployMarket, portInUse, startAnvil, type AnvilHandle } from "../../lib/devnet/anvil";
import { connect, waitFor } from "../../lib/devnet/chain-ops";
import { formatPinoLine, spawnManaged, type ManagedProcess } from "./processes";
import { DEMO_BORROWERS, FRESH_WALLET_INDEX, openDemoPositions, playDemoShocks } from "./seed";
import { DEMO_INBOX, MAIL_SMTP_PORT, MAIL_WEB_PORT, startMailCatcher, subscribeDemo } from "./alerts-demo";
import { ANVIL_ACCOUNTS } from "../../lib/chain/devnet";

export const CHAIN_PORT = 8545;
export const WEB_PORT = 3000;
export const KEEPER_STATUS_PORT = 8550;
export const WATCHER_PORT = 8560;
/** Seconds between blocks once seeding is done, so grace and slice clocks tick in real time. */
const BLOCK_TIME = 1;

const BIN = path.join(ROOT, "node_modules/.bin");

class UserFacingError extends Error {}

function step(message: string) {
  console.log(`\x1b[36m›\x1b[0m ${message}`);
}

function checkDependencies(withWeb: boolean) {
  if (!existsSync(path.join(ROOT, "node_modules"))) {
    throw new UserFacingError("Dependencies are not installed (no node_modules/). Run `npm install` first.");
  }
  const tools = ["anvil", "forge", "tsx", "wagmi", ...(withWeb ? ["next"] : [])];
  const missing = tools.filter((t) => !existsSync(path.join(BIN, t)));
  if (missing.length > 0) {
    throw new UserFacingError(`Missing ${missing.join(", ")} in node_modules/.bin. Run \`npm install\` (it installs forge and anvil too).`);
  }
}

async function checkPorts(ports: { port: number; what: string }[]) {
  for (const { port, what } of ports) {
    if (await portInUse(port)) {
      throw new UserFacingError(
        `Port ${port} is already in use (needed for ${what}). Stop whatever listens there (e.g. \`lsof -i :${port}\`, or a previous \`npm run dev\`) and try again.`,
      );
    }
  }
}

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, ext));
    else if (entry.name.endsWith(ext)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function mtime(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function run(command: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d.toString()));
    child.stderr.on("data", (d) => (out += d.toString()));
    child.once("error", (error) => reject(new UserFacingError(`${what} could not start: ${error.message}`)));
    child.once("exit", (code) =>
      code === 0 && !/^Error:/m.test(out) ? resolve() : reject(new UserFacingError(`${what} failed (exit ${code}):\n${out.slice(-3000)}`)),
    );
  });
}

/** Compiles the contracts and regenerates the typed ABIs only when their sources are newer than the outputs. */
async function buildIfNeeded() {
  const sources = Math.max(newestMtime(path.join(ROOT, "contracts/src"), ".sol"), newestMtime(path.join(ROOT, "contracts/script"), ".sol"));
  const artifact = mtime(path.join(ROOT, "contracts/out/SoftLandingMarket.sol/SoftLandingMarket.json"));
  if (artifact === 0 || sources > artifact) {
    step("compiling contracts (forge build)…");
    await run(path.join(BIN, "forge"), ["build"], "forge build");
  }
  // A fresh clone checks every file out within a moment, so only a clearly newer source means stale ABIs.
  const abis = mtime(path.join(ROOT, "lib/chain/abis.ts"));
  if (abis === 0 || newestMtime(path.join(ROOT, "contracts/src"), ".sol") > abis + 2000) {
    step("generating typed ABIs (wagmi generate)…");
    await run(path.join(BIN, "wagmi"), ["generate"], "wagmi generate");
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

export async function runDevnet({ withWeb }: { withWeb: boolean }): Promise<void> {
  const children: ManagedProcess[] = [];
  let anvil: AnvilHandle | undefined;
  let stopping = false;

  let mailCatcher: Awaited<ReturnType<typeof startMailCatcher>> | undefined;
  const stopAll = async () => {
    for (const child of [...children].reverse()) await child.stop();
    await mailCatcher?.stop().catch(() => {});
    if (anvil) await anvil.stop();
  };
  const shutdown = async (code: number, why?: string) => {
    if (stopping) return;
    stopping = true;
    if (why) console.log(why);
    const running = [...children.map((c) => c.name).reverse(), ...(anvil ? ["anvil"] : [])];
    if (running.length > 0) {
      console.log(`stopping: ${running.join(", ")}…`);
      await stopAll();
      console.log("stopped.");
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(130));
  process.on("SIGTERM", () => void shutdown(143));

  try {
    checkDependencies(withWeb);
    await checkPorts([
      { port: CHAIN_PORT, what: "the devnet chain, anvil" },
      ...(withWeb ? [{ port: WEB_PORT, what: "the web app, next dev" }] : []),
      { port: KEEPER_STATUS_PORT, what: "the keeper status endpoint" },
      { port: WATCHER_PORT, what: "the watcher API" },
      { port: MAIL_SMTP_PORT, what: "the mail catcher's SMTP server" },
      { port: MAIL_WEB_PORT, what: "the mail catcher's inbox" },
    ]);
    await buildIfNeeded();

    step(`starting anvil on port ${CHAIN_PORT} (chain ${DEVNET_CHAIN_ID})…`);
    anvil = await startAnvil({ port: CHAIN_PORT });
    anvil.process.once("exit", (code) => {
      if (!stopping) void shutdown(1, `anvil exited unexpectedly (code ${code}).`);
    });
    const rpcUrl = anvil.rpcUrl;

    step("deploying the market (deployments/31337.json)…");
    const deployment = await deployMarket({ rpcUrl, deploymentFile: `deployments/${DEVNET_CHAIN_ID}.json` });
    const clients = await connect(rpcUrl);

    step("seeding: lender liquidity and demo borrowers…");
    await openDemoPositions(clients, deployment, (m) => console.log(`  ${m}`));

    step(`starting the keeper (status: http://127.0.0.1:${KEEPER_STATUS_PORT}/status)…`);
    const checkpointFile = path.join(ROOT, `deployments/.local/keeper-checkpoint-${DEVNET_CHAIN_ID}.json`);
    // A fresh chain every run: the last run's checkpoint describes a history that no longer exists.
    rmSync(checkpointFile, { force: true });
    const keeper = spawnManaged("keeper", path.join(BIN, "tsx"), ["keeper/main.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        RPC_URL: rpcUrl,
        CHAIN_ID: String(DEVNET_CHAIN_ID),
        DEPLOYMENT_FILE: `deployments/${DEVNET_CHAIN_ID}.json`,
        KEEPER_PRIVATE_KEY: ANVIL_ACCOUNTS[2]!.privateKey,
        KEEPER_STATUS_PORT: String(KEEPER_STATUS_PORT),
        KEEPER_CHECKPOINT_FILE: checkpointFile,
        KEEPER_POLL_INTERVAL_MS: "250",
        KEEPER_DRY_RUN: "false",
      },
      formatLine: formatPinoLine,
    });
    children.push(keeper);
    void keeper.exited.then((code) => {
      if (!stopping) void shutdown(1, `the keeper exited unexpectedly (code ${code}).`);
    });
    if (!(await waitForHttp(`http://127.0.0.1:${KEEPER_STATUS_PORT}/health`, 30_000))) {
      throw new UserFacingError("The keeper did not start within 30 s (see its output above).");
    }

    step(`starting the mail catcher (inbox: http://127.0.0.1:${MAIL_WEB_PORT}) and the watcher (http://127.0.0.1:${WATCHER_PORT}/status)…`);
    mailCatcher = await startMailCatcher();
    const watcherDataDir = path.join(ROOT, `deployments/.local/watcher-db-${DEVNET_CHAIN_ID}`);
    // A fresh chain every run: the last run's index describes a history that no longer exists.
    rmSync(watcherDataDir, { recursive: true, force: true });
    const watcherUrl = `http://127.0.0.1:${WATCHER_PORT}`;
    const watcher = spawnManaged("watcher", path.join(BIN, "tsx"), ["watcher/main.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        RPC_URL: rpcUrl,
        CHAIN_ID: String(DEVNET_CHAIN_ID),
        DEPLOYMENT_FILE: `deployments/${DEVNET_CHAIN_ID}.json`,
        WATCHER_DATA_DIR: watcherDataDir,
        WATCHER_PORT: String(WATCHER_PORT),
        WATCHER_POLL_INTERVAL_MS: "250",
        SMTP_URL: mailCatcher.smtpUrl,
        APP_URL: `http://localhost:${WEB_PORT}`,
      },
      formatLine: formatPinoLine,
    });
    children.push(watcher);
    void watcher.exited.then((code) => {
      if (!stopping) void shutdown(1, `the watcher exited unexpectedly (code ${code}).`);
    });
    const head = await clients.publicClient.getBlockNumber();
    await waitFor(
      "the watcher to index the seeded market",
      async () => {
        try {
          const status = (await (await fetch(`${watcherUrl}/status`)).json()) as { indexedBlock: string | null };
          return status.indexedBlock !== null && BigInt(status.indexedBlock) >= head ? true : undefined;
        } catch {
          return undefined;
        }
      },
      60_000,
    );
    const alerted = DEMO_BORROWERS.filter((b) => b.state === "flagged, in grace" || b.state === "being sliced");
    for (const b of alerted) await subscribeDemo(watcherUrl, mailCatcher.inboxUrl, ANVIL_ACCOUNTS[b.accountIndex]!.address);
    console.log(`  ${DEMO_INBOX} subscribed (double opt-in, confirmed in the inbox) to #${alerted.map((b) => b.accountIndex).join(" and #")}`);

    step("moving prices so the keeper flags, slices and hard-liquidates…");
    await playDemoShocks(clients, deployment, { log: (m) => console.log(`  ${m}`) });
    await clients.publicClient.request({ method: "evm_setIntervalMining" as never, params: [BLOCK_TIME] as never });

    if (withWeb) {
      step(`starting the web app on port ${WEB_PORT} (next dev)…`);
      const web = spawnManaged("web", path.join(BIN, "next"), ["dev", "--port", String(WEB_PORT)], {
        cwd: ROOT,
        env: {
          ...process.env,
          NEXT_PUBLIC_CHAIN_ID: String(DEVNET_CHAIN_ID),
          NEXT_PUBLIC_RPC_URL: `http://127.0.0.1:${CHAIN_PORT}`,
          NEXT_PUBLIC_WATCHER_URL: `http://127.0.0.1:${WATCHER_PORT}`,
          NEXT_TELEMETRY_DISABLED: "1",
        },
      });
      children.push(web);
      void web.exited.then((code) => {
        if (!stopping) void shutdown(1, `next dev exited unexpectedly (code ${code}).`);
      });
      await waitFor("next dev to listen", async () => ((await portInUse(WEB_PORT)) ? true : undefined), 120_000);
    }

    printBanner(rpcUrl, withWeb);
  } catch (error) {
    const message = error instanceof UserFacingError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    await shutdown(1, `\n\x1b[31m✗\x1b[0m ${message}`);
  }
}

function printBanner(rpcUrl: string, withWeb: boolean) {
  const web = `http://localhost:${WEB_PORT}`;
  const sliced = DEMO_BORROWERS.find((b) => b.state === "being sliced")!;
  const lines = [
    "",
    "\x1b[32m✓ Soft Landing devnet is running\x1b[0m",
    ...(withWeb ? [`  app:         ${web}`, `  share link:  ${web}/position/${ANVIL_ACCOUNTS[sliced.accountIndex]!.address}   (a position being sliced)`] : []),
    `  chain:       ${rpcUrl} (chain id ${DEVNET_CHAIN_ID}, a block every ${BLOCK_TIME} s)`,
    `  keeper:      http://127.0.0.1:${KEEPER_STATUS_PORT}/status`,
    `  watcher:     http://127.0.0.1:${WATCHER_PORT}/status   (history, liquidation map, alerts)`,
    `  mail inbox:  http://127.0.0.1:${MAIL_WEB_PORT}   (alerts for ${DEMO_INBOX}; subscribe on any position page)`,
    "  demo positions:",
    ...DEMO_BORROWERS.map((b) => {
      const address = ANVIL_ACCOUNTS[b.accountIndex]!.address;
      const protection = b.policy ? `   (automatic protection below ${b.policy.triggerHealth} → ${b.policy.targetHealth})` : "";
      return `    #${b.accountIndex} ${b.state.padEnd(19)} ${withWeb ? `${web}/position/${address}` : address}${protection}`;
    }),
    `    #${FRESH_WALLET_INDEX} no position yet      (the built-in devnet wallet: open one at ${withWeb ? `${web}/borrow` : "/borrow"})`,
    "  move the market:  npm run sim -- price --asset WETH --move -10% --over 30m   (npm run sim -- --help)",
    "  Ctrl-C stops everything.",
    "",
  ];
  console.log(lines.join("\n"));
}
