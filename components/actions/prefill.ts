/**
 * Links that open the owner's form with an action filled in (from the advice, the flagged box, an alert mail):
 * `#act=topUp&asset=WETH&amount=1.25`, `#act=repay&amount=all`. A URL fragment never reaches the server, so a link
 * never moves money by itself: it only fills the form, and the owner still reviews and signs.
 */
import { parseAmount } from "@/lib/format/input";
import type { PositionSnapshot } from "@/lib/risk";
import type { FormKind } from "./validate";

export interface Prefill {
  readonly kind: FormKind;
  readonly asset: number;
  /** What goes in the amount field ("" with `repayAll`). */
  readonly text: string;
  readonly repayAll: boolean;
}

const KINDS: readonly FormKind[] = ["topUp", "repay", "borrow", "withdraw"];

export type PrefillResult = { ok: true; prefill: Prefill } | { ok: false; message: string } | null;

/** Reads a prefill link's fragment against the position's market; null when the fragment is not a prefill at all. */
export function parsePrefill(hash: string, s: PositionSnapshot): PrefillResult {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const act = params.get("act");
  if (act === null) return null;
  if (!(KINDS as readonly string[]).includes(act)) {
    return { ok: false, message: `The link asks for an unknown action "${act}": use topUp, repay, borrow or withdraw.` };
  }
  const kind = act as FormKind;
  const m = s.market;
  let asset = 0;
  if (kind === "topUp" || kind === "withdraw") {
    const symbol = params.get("asset") ?? "";
    asset = m.collaterals.findIndex((c) => c.symbol.toLowerCase() === symbol.toLowerCase() || c.asset.toLowerCase() === symbol.toLowerCase());
    if (asset < 0) {
      return { ok: false, message: `The link names a collateral this market does not take ("${symbol}"): ${m.collaterals.map((c) => c.symbol).join(", ")}.` };
    }
  }
  const amount = (params.get("amount") ?? "").trim();
  if (amount === "all") {
    if (kind === "repay") return { ok: true, prefill: { kind, asset, text: "", repayAll: true } };
    return { ok: false, message: "Only a repay can be for \"all\" in a link." };
  }
  if (amount === "") return { ok: true, prefill: { kind, asset, text: "", repayAll: false } };
  const token = kind === "topUp" || kind === "withdraw" ? m.collaterals[asset]! : { decimals: m.loanDecimals, symbol: m.loanSymbol };
  const parsed = parseAmount(amount, token.decimals, token.symbol);
  if (!parsed.ok) return { ok: false, message: `The link's amount "${amount}" is not usable: ${parsed.message}` };
  return { ok: true, prefill: { kind, asset, text: amount, repayAll: false } };
}
