import { readFile } from "node:fs/promises";
import path from "node:path";
import { ImageResponse } from "next/og";
import { formatHealth, formatUsd, shortAddress } from "@/lib/format/number";
import { ZONE_NAMES, type Zone } from "@/lib/risk";
import { loadPosition } from "../load";

export const alt = "Soft Landing position health";
export const size = { width: 1200, height: 630 };
export const contentType = "image/png";

/**
 * Geist ships inside Next (node_modules/next/dist/compiled/@vercel/og), so the image renders from a local file and
 * never fetches a font. Text is kept to ASCII so satori never needs to download a fallback glyph either.
 */
async function localFont() {
  return readFile(path.join(process.cwd(), "node_modules/next/dist/compiled/@vercel/og/Geist-Regular.ttf"));
}

const ZONE_COLOR: Record<string, string> = { HEALTHY: "#15803d", SOFT: "#a16207", HARD: "#b91c1c" };

export default async function Image({ params }: { params: Promise<{ address: string }> }) {
  const { address } = await params;
  const [load, font] = await Promise.all([loadPosition(address), localFont()]);

  let headline = "Soft Landing";
  let hf = "";
  let zone = "";
  let detail = "";
  if (load.kind === "ok") {
    const p = load.position;
    zone = p.healthOk ? ZONE_NAMES[p.zone as Zone] : "PRICE UNAVAILABLE";
    const hfText = formatHealth(p.healthFactor);
    hf = hfText === "∞" ? "no debt" : hfText;
    headline = `${p.market.loanSymbol} market - ${shortAddress(load.account).replace("…", "...")}`;
    const collaterals = p.market.collaterals.filter((c) => c.balance > 0n).map((c) => c.symbol).join(" + ");
    detail = `${formatUsd(p.collateralValue, 0)} of ${collaterals} backing ${formatUsd(p.debtValue, 0)} ${p.market.loanSymbol} debt`;
  } else if (load.kind === "empty") {
    headline = `Position ${shortAddress(load.account).replace("…", "...")}`;
    detail = "No collateral and no debt in this market.";
  } else if (load.kind === "invalid-address") {
    detail = "Not a valid address.";
  } else {
    detail = "Position health unavailable right now.";
  }

  return new ImageResponse(
    (
      <div
        style={{
          width: "100%",
          height: "100%",
          display: "flex",
          flexDirection: "column",
          justifyContent: "space-between",
          padding: 64,
          background: "#0b1020",
          color: "#e5e7eb",
          fontFamily: "Geist",
        }}
      >
        <div style={{ display: "flex", fontSize: 36, color: "#a3adbd" }}>Soft Landing - {headline}</div>
        {hf ? (
          <div style={{ display: "flex", alignItems: "flex-end", gap: 48 }}>
            <div style={{ display: "flex", flexDirection: "column" }}>
              <div style={{ fontSize: 32, color: "#a3adbd" }}>Health factor</div>
              <div style={{ fontSize: 180, lineHeight: 1 }}>{hf}</div>
            </div>
            <div
              style={{
                display: "flex",
                fontSize: 48,
                padding: "12px 32px",
                borderRadius: 999,
                marginBottom: 24,
                background: ZONE_COLOR[zone] ?? "#b91c1c",
                color: "#ffffff",
              }}
            >
              {zone}
            </div>
          </div>
        ) : (
          <div style={{ display: "flex", fontSize: 64 }}>{detail}</div>
        )}
        <div style={{ display: "flex", fontSize: 32, color: "#a3adbd" }}>{hf ? detail : "Borrow with soft liquidation"}</div>
      </div>
    ),
    { ...size, fonts: [{ name: "Geist", data: font, weight: 400, style: "normal" }] },
  );
}
