/** `npm run dev`: devnet chain, deployment, demo positions, keeper and the web app, in one command. */
import { runDevnet } from "./lib/devnet-runner";

void runDevnet({ withWeb: true });
