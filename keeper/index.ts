/**
 * The keeper's public surface: what the devnet, the benchmarks and the browser tests may use. Everything else in
 * this folder is the keeper's own business (the lint rule on part boundaries enforces it).
 */
export {
  createKeeper,
  type Keeper,
  type KeeperOptions,
  type KeeperStatus,
  type ScanReport,
  type StepReport,
  type StepOptions,
  type SentAction,
  type SettledAction,
} from "./keeper";
export { decodePositionsView, snapshotOf, type PositionsView, type MarketView } from "../lib/chain/positions";
export { decide, type Decision, type ActionKind } from "./decide";
