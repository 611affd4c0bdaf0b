import { describe, expect, it } from "vitest";
import { hasStoredConnection } from "./walletDemand";

const storage = (items: Record<string, string>) => ({ getItem: (k: string) => items[k] ?? null });

describe("wallet code on demand", () => {
  it("a first visit (nothing stored) needs no wallet code; a stored or recent connection does", () => {
    expect(hasStoredConnection(storage({}))).toBe(false);
    expect(hasStoredConnection(storage({ "wagmi.store": JSON.stringify({ state: { current: null, connections: {} } }) }))).toBe(false);
    expect(hasStoredConnection(storage({ "wagmi.store": JSON.stringify({ state: { current: "abc" } }) }))).toBe(true);
    expect(hasStoredConnection(storage({ "wagmi.recentConnectorId": "\"injected\"" }))).toBe(true);
    expect(hasStoredConnection(storage({ "wagmi.devnetWallet": "9" }))).toBe(true);
  });

  it("unreadable storage loads the wallet rather than miss a connection", () => {
    expect(hasStoredConnection(storage({ "wagmi.store": "{not json" }))).toBe(true);
  });
});
