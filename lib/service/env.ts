/**
 * Environment parsing shared by the services (keeper, watcher): zod schemas whose failures name the variable, and
 * the deployment file every service reads. A bad value stops a service with a message, never a stack trace.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseDeployment, type Deployment } from "../chain/deployment";

export class ConfigError extends Error {}

export const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no", ""], { message: 'must be "true" or "false"' })
  .transform((v) => v === "true" || v === "1" || v === "yes");

export const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

export const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");

/** Parses the variables `schema` names (empty counts as unset); throws `ConfigError` listing every problem at once. */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined>, service: string): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]])));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid ${service} configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Reads `deployments/<chainId>.json` (or `file`), checked against the chain the service was told to use. */
export function loadDeploymentFile(
  root: string,
  file: string | undefined,
  chainId: number,
  service: string,
): { deployment: Deployment; deploymentFile: string } {
  const fail = (message: string): never => {
    throw new ConfigError(`Invalid ${service} configuration:\n  DEPLOYMENT_FILE: ${message}`);
  };
  const deploymentFile = path.resolve(root, file ?? `deployments/${chainId}.json`);
  if (!existsSync(deploymentFile)) {
    fail(`${deploymentFile} does not exist (deploy the contracts to chain ${chainId} first, see README "Deploy to another chain")`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(deploymentFile, "utf8"));
  } catch (error) {
    fail(`${deploymentFile} is not valid JSON (${(error as Error).message})`);
  }
  let deployment: Deployment | undefined;
  try {
    deployment = parseDeployment(json, deploymentFile);
  } catch (error) {
    fail((error as Error).message);
  }
  if (deployment!.chainId !== chainId) fail(`${deploymentFile} is for chain ${deployment!.chainId}, but CHAIN_ID is ${chainId}`);
  return { deployment: deployment!, deploymentFile };
}
