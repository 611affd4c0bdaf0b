import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseDeployment, type Deployment } from "./deployment";
import { publicEnvResult, type PublicEnv } from "./env";

export { publicEnv, publicEnvResult, appChain, type PublicEnv } from "./env";

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
function deploymentsDir(): string {
  const dir = process.env.DEPLOYMENTS_DIR?.trim();
  return dir ? path.resolve(dir) : path.join(process.cwd(), "deployments");
}

/**
 * Validated env plus `deployments/<chainId>.json`. Never throws: the layout turns a failure into an error page
 * that says which file or variable to fix.
 */
export async function loadAppConfig(): Promise<AppConfigResult> {
  if (!publicEnvResult.ok) return { ok: false, title: "Invalid configuration", error: publicEnvResult.error };
  const env = publicEnvResult.env;
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
