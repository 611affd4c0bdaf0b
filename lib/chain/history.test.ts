/**
 * The watcher's JSON for a history entry decodes to what viem decodes from the log itself, the protection events'
 * struct included (the watcher stores integers as decimal strings, a struct as JSON and addresses lower-cased).
 */
import { encodeAbiParameters, encodeEventTopics, parseEventLogs, type Address, type Hex, type Log } from "viem";
import { describe, expect, it } from "vitest";
import { eventsLibAbi } from "./abis";
import { fromWatcher, type WatcherEvent } from "./history";

const ACCOUNT: Address = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const KEEPER: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const WETH: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const TX = `0x${"ab".repeat(32)}` as Hex;

function log(eventName: "Deleveraged" | "DeleveragePolicySet", args: Record<string, unknown>): Log {
  const event = eventsLibAbi.find((x) => x.type === "event" && x.name === eventName)!;
  const data = event.inputs.filter((i) => !i.indexed);
  return {
    address: WETH,
    topics: encodeEventTopics({ abi: eventsLibAbi, eventName, args } as never) as [Hex, ...Hex[]],
    data: encodeAbiParameters(data, data.map((i) => args[i.name!])),
    blockHash: null,
    blockNumber: 7n,
    logIndex: 3,
    transactionHash: TX,
    transactionIndex: 0,
    removed: false,
  } as Log;
}

/** viem's decoding with addresses lower-cased, as the watcher stores them. */
function decoded(l: Log) {
  const [event] = parseEventLogs({ abi: eventsLibAbi, logs: [l] });
  const lower = (v: unknown) => (typeof v === "string" && v.startsWith("0x") ? v.toLowerCase() : v);
  return Object.fromEntries(Object.entries(event!.args).map(([k, v]) => [k, lower(v)]));
}

const watcherEvent = (name: string, args: WatcherEvent["args"]): WatcherEvent => ({
  blockNumber: "7",
  logIndex: 3,
  transactionHash: TX,
  timestamp: "1800000000",
  name,
  args,
});

describe("fromWatcher", () => {
  it("decodes a policy setting, struct and all", () => {
    const policy = { triggerHealth: 1_100_000_000_000_000_000n, targetHealth: 1_250_000_000_000_000_000n, maxBonus: 3_000_000_000_000_000n, maxShare: 250_000_000_000_000_000n };
    const entry = fromWatcher(
      watcherEvent("DeleveragePolicySet", {
        account: ACCOUNT.toLowerCase(),
        caller: ACCOUNT.toLowerCase(),
        policy: JSON.stringify(policy, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
        version: "2",
      }),
    );
    expect(entry).toMatchObject({ eventName: "DeleveragePolicySet", blockNumber: 7n, logIndex: 3, transactionHash: TX, timestamp: 1_800_000_000n });
    expect(entry.args).toEqual(decoded(log("DeleveragePolicySet", { account: ACCOUNT, caller: ACCOUNT, policy, version: 2n })));
  });

  it("decodes an execution of the policy", () => {
    const args = { account: ACCOUNT, executor: KEEPER, collateral: WETH, version: 2n, repaid: 5_000_000_000n, seized: 1_937_600_000_000_000_000n, bonus: 3_000_000_000_000_000n, healthBefore: 1_099_999_999_999_999_999n, healthAfter: 1_182_500_000_000_000_000n };
    const json = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v.toLowerCase()]));
    expect(fromWatcher(watcherEvent("Deleveraged", json)).args).toEqual(decoded(log("Deleveraged", args)));
  });
});
