/**
 * The watcher's public surface: what the devnet, the benchmarks and the browser tests may use. Everything else in
 * this folder is the watcher's own business (the lint rule on part boundaries enforces it).
 */
export { createWatcher, type Watcher } from "./service";
export { loadWatcherConfig, type WatcherConfig } from "./config";
export { openDatabase, schema, type Database, type DatabaseTarget, type Db } from "./db";
export { createIndexer, type Indexer, type PollReport } from "./indexer";
export { createChainSource, type ChainSource } from "./chain";
export { alertPass } from "./alerts/pass";
export { decideHealthAlerts, decideEventAlerts, type SubscriptionView } from "./alerts/decide";
export { startMailSink, startWebhookSink, type MailSink, type WebhookSink } from "./testing/peers";
export { startTestMarket, silentLog, type TestMarket } from "./testing/market";
