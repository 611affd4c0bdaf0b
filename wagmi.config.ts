import { defineConfig } from "@wagmi/cli";
import { foundry } from "@wagmi/cli/plugins";

// Typed ABIs come from the forge artifacts (`npm run generate` builds them first); never hand-written.
export default defineConfig({
  // ABIS_OUT lets `npm test` generate a copy to compare with the committed file (contracts/tools/check-abis.mjs).
  out: process.env.ABIS_OUT ?? "lib/chain/abis.ts",
  plugins: [
    foundry({
      project: ".",
      artifacts: "contracts/out",
      forge: { build: false },
      exclude: ["**.s.sol/*.json", "**.t.sol/*.json"],
      include: [
        "SoftLandingMarket.sol/**",
        "SoftLandingLens.sol/**",
        "ChainlinkOracle.sol/**",
        "MockERC20.sol/**",
        "MockAggregator.sol/**",
        "ErrorsLib.sol/**",
        "EventsLib.sol/**",
      ],
    }),
  ],
});
