/**
 * The keeper's discovery checkpoint: which borrowers it knows and up to which block it has read the market's
 * events, so a restart resumes from there instead of rescanning the whole chain. The block hash guards against a
 * devnet that was restarted or reset underneath (same addresses, different history): then the checkpoint is void.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { getAddress, type Address, type Hex } from "viem";

const checkpointSchema = z.object({
  version: z.literal(1),
  chainId: z.number().int(),
  market: z.string(),
  lastBlock: z.number().int().nonnegative(),
  lastBlockHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  accounts: z.array(z.string().regex(/^0x[0-9a-fA-F]{40}$/)),
});

export interface Checkpoint {
  chainId: number;
  market: Address;
  lastBlock: bigint;
  lastBlockHash: Hex;
  accounts: Address[];
}

/** Loads the checkpoint for this chain and market; undefined when missing, unreadable or for another market. */
export function loadCheckpoint(file: string, chainId: number, market: Address): { checkpoint?: Checkpoint; problem?: string } {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch {
    return {};
  }
  let parsed;
  try {
    parsed = checkpointSchema.safeParse(JSON.parse(raw));
  } catch {
    return { problem: `checkpoint ${file} is not valid JSON; starting from the deployment block` };
  }
  if (!parsed.success) return { problem: `checkpoint ${file} has an unexpected shape; starting from the deployment block` };
  const c = parsed.data;
  if (c.chainId !== chainId || getAddress(c.market) !== getAddress(market)) {
    return { problem: `checkpoint ${file} belongs to chain ${c.chainId} market ${c.market}; starting from the deployment block` };
  }
  return {
    checkpoint: {
      chainId: c.chainId,
      market: getAddress(c.market),
      lastBlock: BigInt(c.lastBlock),
      lastBlockHash: c.lastBlockHash as Hex,
      accounts: c.accounts.map((a) => getAddress(a)),
    },
  };
}

/** Writes atomically (temp file + rename) so a crash mid-write never leaves a truncated checkpoint. */
export function saveCheckpoint(file: string, checkpoint: Checkpoint): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(
    tmp,
    JSON.stringify({
      version: 1,
      chainId: checkpoint.chainId,
      market: checkpoint.market,
      lastBlock: Number(checkpoint.lastBlock),
      lastBlockHash: checkpoint.lastBlockHash,
      accounts: checkpoint.accounts,
    }),
  );
  renameSync(tmp, file);
}
