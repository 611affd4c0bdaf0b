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
export { decodePositionsView } from "./decode-positions";
export { decide, snapshotOf, type Decision, type ActionKind, type PositionsView, type MarketView } from "./decide";
