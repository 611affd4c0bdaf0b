import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { parseDeployment, type Deployment } from "./deployment";
import { DEFAULT_DEVNET_RPC_URL, DEVNET_CHAIN_ID } from "./devnet";
import { rawPublicEnv, type PublicEnv } from "./env";

export { publicEnv, appChain, type PublicEnv } from "./env";

const emptyAsMissing = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** The app's public settings. Bad values stop the app with a page naming the variable, never a silent default. */
export const publicEnvSchema = z.object({
  NEXT_PUBLIC_CHAIN_ID: z.preprocess(
    emptyAsMissing,
    z.coerce
      .number({ error: "must be a number" })
      .int("must be an integer")
      .positive("must be a positive chain id")
      .default(DEVNET_CHAIN_ID),
  ),
  NEXT_PUBLIC_RPC_URL: z.preprocess(
    emptyAsMissing,
    z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default(DEFAULT_DEVNET_RPC_URL),
  ),
  NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: z.preprocess(emptyAsMissing, z.string().trim().min(1).optional()),
  NEXT_PUBLIC_WATCHER_URL: z.preprocess(emptyAsMissing, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
});

export type PublicEnvResult = { ok: true; env: PublicEnv } | { ok: false; error: string };

/** Validates NEXT_PUBLIC_CHAIN_ID, NEXT_PUBLIC_RPC_URL, NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID and NEXT_PUBLIC_WATCHER_URL. */
export function validatePublicEnv(raw: Record<string, string | undefined> = rawPublicEnv): PublicEnvResult {
  const parsed = publicEnvSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ");
    return { ok: false, error: `Invalid app configuration: ${issues}.` };
  }
  return {
    ok: true,
    env: {
      chainId: parsed.data.NEXT_PUBLIC_CHAIN_ID,
      rpcUrl: parsed.data.NEXT_PUBLIC_RPC_URL,
      walletConnectProjectId: parsed.data.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID,
      watcherUrl: parsed.data.NEXT_PUBLIC_WATCHER_URL?.replace(/\/$/, ""),
    },
  };
}

export interface AppConfig {
  env: PublicEnv;
  deployment: Deployment;
  deploymentFile: string;
}

export type AppConfigResult = { ok: true; config: AppConfig } | { ok: false; title: string; error: string };

/**
 * Where deployment files live. `DEPLOYMENTS_DIR` (server-only) lets tests point the app at a scratch deployment
 * without touching the committed `deployments/` folder.
 */
export function deploymentsDir(): string {
  const dir = process.env.DEPLOYMENTS_DIR?.trim();
  return dir ? path.resolve(dir) : path.join(process.cwd(), "deployments");
}

/**
 * Validated env plus `deployments/<chainId>.json`. Never throws: the layout turns a failure into an error page
 * that says which file or variable to fix.
 */
export async function loadAppConfig(raw: Record<string, string | undefined> = rawPublicEnv): Promise<AppConfigResult> {
  const envResult = validatePublicEnv(raw);
  if (!envResult.ok) return { ok: false, title: "Invalid configuration", error: envResult.error };
  const env = envResult.env;
  const file = path.join(deploymentsDir(), `${env.chainId}.json`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return {
      ok: false,
      title: "No deployment for this chain",
      error: `Deployment file ${file} was not found. Deploy the contracts for chain ${env.chainId} (npm run devnet) or set NEXT_PUBLIC_CHAIN_ID to a chain that has a deployment.`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, title: "Invalid deployment file", error: `${file} is not valid JSON: ${(e as Error).message}` };
  }
  try {
    const deployment = parseDeployment(json, file);
    if (deployment.chainId !== env.chainId) {
      return {
        ok: false,
        title: "Invalid deployment file",
        error: `${file} is for chain ${deployment.chainId}, but the app is configured for chain ${env.chainId}.`,
      };
    }
    return { ok: true, config: { env, deployment, deploymentFile: file } };
  } catch (e) {
    return { ok: false, title: "Invalid deployment file", error: (e as Error).message };
  }
}
