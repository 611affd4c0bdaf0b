import { z } from "zod";
import { getAddress, type Address } from "viem";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
  .transform((value) => getAddress(value) as Address);

/** Shape of `deployments/<chainId>.json`, written by `contracts/script/Deploy.s.sol`. */
export const deploymentSchema = z.object({
  chainId: z.number().int().positive(),
  mode: z.enum(["soft", "conventional"]),
  startBlock: z.number().int().nonnegative(),
  market: address,
  oracle: address,
  lens: address,
  tokens: z.record(z.string(), address),
  feeds: z.record(z.string(), address),
});

export type Deployment = z.infer<typeof deploymentSchema>;

/** Parses deployment JSON, with an error that names the file and the bad field. */
export function parseDeployment(json: unknown, source: string): Deployment {
  const result = deploymentSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`Invalid deployment file ${source}: ${issues}`);
  }
  return result.data;
}
