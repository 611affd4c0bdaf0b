"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { Deployment } from "./deployment";

const DeploymentContext = createContext<Deployment | null>(null);

/** Makes the server-loaded `deployments/<chainId>.json` available to client components. */
export function DeploymentProvider({ deployment, children }: { deployment: Deployment; children: ReactNode }) {
  return <DeploymentContext.Provider value={deployment}>{children}</DeploymentContext.Provider>;
}

/** The market, lens, token and feed addresses of the configured chain. */
export function useDeployment(): Deployment {
  const deployment = useContext(DeploymentContext);
  if (!deployment) throw new Error("useDeployment must be used inside <Providers> (app/layout.tsx)");
  return deployment;
}
