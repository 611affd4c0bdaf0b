import { describe, expect, it } from "vitest";
import { alertRequest } from "./alerts-form";

const account = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";

describe("alertRequest", () => {
  it("builds the watcher's body for an email or a webhook", () => {
    expect(alertRequest(account, "email", " me@example.com ", "1.10")).toEqual({ ok: true, body: { account, email: "me@example.com", threshold: "1.10" } });
    expect(alertRequest(account, "webhook", "https://hooks.example.com/x", "1,25")).toEqual({
      ok: true,
      body: { account, webhook: "https://hooks.example.com/x", threshold: "1.25" },
    });
  });

  it("refuses what the watcher would refuse, naming the field", () => {
    expect(alertRequest(account, "email", "me@", "1.1")).toMatchObject({ ok: false, field: "target" });
    expect(alertRequest(account, "webhook", "ftp://x.example/y", "1.1")).toMatchObject({ ok: false, field: "target" });
    expect(alertRequest(account, "email", "me@example.com", "1")).toMatchObject({ ok: false, field: "threshold", message: expect.stringMatching(/above 1/) });
    expect(alertRequest(account, "email", "me@example.com", "0.9")).toMatchObject({ ok: false, field: "threshold" });
    expect(alertRequest(account, "email", "me@example.com", "6")).toMatchObject({ ok: false, field: "threshold" });
    expect(alertRequest(account, "email", "me@example.com", "1.12345")).toMatchObject({ ok: false, field: "threshold", message: expect.stringMatching(/4 decimals/) });
    expect(alertRequest(account, "email", "me@example.com", "1.1.1")).toMatchObject({ ok: false, field: "threshold" });
  });
});
