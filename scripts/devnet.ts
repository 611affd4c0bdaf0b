/** `npm run devnet`: the same devnet as `npm run dev` (chain, deployment, demo positions, keeper) without the web app. */
import { runDevnet } from "./lib/devnet-runner";

void runDevnet({ withWeb: false });
