/**
 * Market simulator for any devnet where the Soft Landing contracts run with mock feeds: set or move prices, advance
 * time (keeping every feed fresh), replay a real crash from hourly candles. `npm run sim -- --help`.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Hex } from "viem";
import { parseDeployment, type Deployment } from "../lib/chain/deployment";
import { ANVIL_ACCOUNTS, DEVNET_CHAIN_ID } from "../lib/chain/devnet";
import { ROOT } from "../lib/devnet/anvil";
import { advanceTime, connect, formatFeedPrice, readFeedPrice, setFeedPrice, type ChainClients } from "../lib/devnet/chain-ops";
import { SIM_HELP, UsageError, applyMove, candlePath, linearPath, parseCandles, parseSimArgs, type GlobalFlags } from "./lib/sim-args";

function loadDeployment(chainId: number, flag: string | undefined): Deployment {
  const file = path.resolve(process.cwd(), flag ?? path.join(ROOT, `deployments/${chainId}.json`));
  if (!existsSync(file)) {
    throw new UsageError(`No deployment for chain ${chainId} at ${file}. Start the devnet (npm run devnet) or pass --deployment FILE.`);
  }
  try {
    return parseDeployment(JSON.parse(readFileSync(file, "utf8")), file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function setup(global: GlobalFlags) {
  const rpcUrl = global.rpc ?? process.env.RPC_URL ?? "http://127.0.0.1:8545";
  if (!/^https?:\/\//.test(rpcUrl)) throw new UsageError(`--rpc must be an http(s) URL (got "${rpcUrl}").`);
  let clients: ChainClients;
  try {
    clients = await connect(rpcUrl);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const deployment = loadDeployment(clients.chain.id, global.deployment);
  const code = await clients.publicClient.getCode({ address: deployment.market });
  if (!code || code === "0x") {
    throw new UsageError(`The market ${deployment.market} from the deployment file is not deployed on the chain at ${rpcUrl}.`);
  }
  const key = process.env.SIM_PRIVATE_KEY;
  if (key !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new UsageError("SIM_PRIVATE_KEY must be a 0x-prefixed 32-byte hex key.");
  if (key === undefined && clients.chain.id !== DEVNET_CHAIN_ID) {
    throw new UsageError(`Set SIM_PRIVATE_KEY to send transactions on chain ${clients.chain.id}.`);
  }
  const wallet = clients.wallet((key as Hex | undefined) ?? ANVIL_ACCOUNTS[0]!.privateKey);
  return { clients, deployment, wallet };
}

function requireAsset(deployment: Deployment, asset: string) {
  if (!deployment.feeds[asset]) {
    throw new UsageError(`Unknown asset "${asset}". Feeds on this deployment: ${Object.keys(deployment.feeds).join(", ")}.`);
  }
}

async function chainTime(clients: ChainClients): Promise<string> {
  const block = await clients.publicClient.getBlock();
  return `${new Date(Number(block.timestamp) * 1000).toISOString()} (block ${block.number})`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(argv: string[]) {
  const cmd = parseSimArgs(argv);
  if (cmd.command === "help") {
    console.log(SIM_HELP);
    return;
  }
  const { clients, deployment, wallet } = await setup(cmd.global);

  if (cmd.command === "prices") {
    for (const symbol of Object.keys(deployment.feeds)) {
      console.log(`${symbol.padEnd(8)} ${formatFeedPrice(await readFeedPrice(clients, deployment, symbol))}`);
    }
    console.log(`chain time ${await chainTime(clients)}`);
    return;
  }

  if (cmd.command === "time") {
    await advanceTime(clients, wallet, deployment, cmd.advanceSeconds);
    console.log(`advanced ${cmd.advanceSeconds} s and refreshed ${Object.keys(deployment.feeds).length} feeds; chain time ${await chainTime(clients)}`);
    return;
  }

  if (cmd.command === "price") {
    requireAsset(deployment, cmd.asset);
    const start = await readFeedPrice(clients, deployment, cmd.asset);
    const end = cmd.to ?? applyMove(start, cmd.movePpm!);
    if (end <= 0n) throw new UsageError("The resulting price would not be positive.");
    if (cmd.overSeconds === undefined) {
      await setFeedPrice(clients, wallet, deployment, cmd.asset, end);
      console.log(`${cmd.asset} ${formatFeedPrice(start)} → ${formatFeedPrice(end)}`);
      return;
    }
    let previous = 0;
    for (const point of linearPath(start, end, cmd.overSeconds, cmd.steps)) {
      await advanceTime(clients, wallet, deployment, point.atSeconds - previous, { [cmd.asset]: point.price });
      previous = point.atSeconds;
      console.log(`+${String(point.atSeconds).padStart(6)} s  ${cmd.asset} ${formatFeedPrice(point.price)}`);
    }
    console.log(`${cmd.asset} ${formatFeedPrice(start)} → ${formatFeedPrice(end)} over ${cmd.overSeconds} s in ${cmd.steps} steps; chain time ${await chainTime(clients)}`);
    return;
  }

  // replay
  requireAsset(deployment, cmd.asset);
  const csvPath = path.resolve(process.cwd(), cmd.csv);
  if (!existsSync(csvPath)) throw new UsageError(`--csv: ${csvPath} does not exist.`);
  const candles = parseCandles(readFileSync(csvPath, "utf8"), cmd.csv);
  const current = await readFeedPrice(clients, deployment, cmd.asset);
  const scale = cmd.scaleToCurrent ? { num: current, den: candles[0]!.open } : undefined;
  const points = candlePath(candles, cmd.stepSeconds, scale);
  const hours = candles.length;
  console.log(
    `replaying ${hours} hourly candles from ${candles[0]!.time} on ${cmd.asset} (${points.length} price points, ` +
      `${cmd.speed === "max" ? "as fast as possible" : `${cmd.speed}x: ~${Math.round((hours * 3600) / cmd.speed / 60)} min`}); Ctrl-C stops it`,
  );
  await setFeedPrice(clients, wallet, deployment, cmd.asset, points[0]!.price);
  let previous = points[0]!.atSeconds;
  for (const [n, point] of points.slice(1).entries()) {
    const began = Date.now();
    const dt = point.atSeconds - previous;
    await advanceTime(clients, wallet, deployment, dt, { [cmd.asset]: point.price });
    previous = point.atSeconds;
    if (n % 12 === 0 || n === points.length - 2) {
      console.log(`${candles[Math.min(candles.length - 1, Math.floor(point.atSeconds / 3600))]!.time}  ${cmd.asset} ${formatFeedPrice(point.price)}`);
    }
    if (cmd.speed !== "max") await sleep(Math.max(0, (dt * 1000) / cmd.speed - (Date.now() - began)));
  }
  console.log(`replay done; chain time ${await chainTime(clients)}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`sim: ${error.message}`);
    process.exit(2);
  }
  console.error(`sim: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  process.exit(1);
});
