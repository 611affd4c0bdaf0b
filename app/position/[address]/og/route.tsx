import { readFile } from "node:fs/promises";
import path from "node:path";
import { ImageResponse } from "next/og";
import { loadLiquidationSummary, loadPosition } from "../../load";
import { parseWhatIf } from "@/components/position/whatif";
import { OG_SIZE, ogContent } from "../../og";

/**
 * Geist ships inside Next (node_modules/next/dist/compiled/@vercel/og), so the image renders from a local file and
 * never fetches a font. Text is kept to ASCII so satori never needs to download a fallback glyph either.
 */
async function localFont() {
  return readFile(path.join(process.cwd(), "node_modules/next/dist/compiled/@vercel/og/Geist-Regular.ttf"));
}

const ZONE_COLOR: Record<string, string> = { HEALTHY: "#15803d", SOFT: "#a16207", HARD: "#b91c1c", "SOFT-LIQUIDATED": "#a16207", "HARD-LIQUIDATED": "#b91c1c" };

/**
 * The position's share image (og:image, twitter:image). Its URL carries a version (zone, health, flag, block; see
 * ../../og.ts) so link previews refresh when the state changes; the image itself always shows the state now.
 */
export async function GET(request: Request, { params }: { params: Promise<{ address: string }> }) {
  const { address } = await params;
  const [load, font] = await Promise.all([loadPosition(address), localFont()]);
  // What-if prices in the URL (validated as the page validates them; refused ones are dropped).
  const search = Object.fromEntries(new URL(request.url).searchParams);
  const whatIf = load.kind === "ok" ? parseWhatIf(search, load.position.market.collaterals).prices : {};
  const liquidations = await loadLiquidationSummary(load);
  const { headline, hf, zone, detail, clock } = ogContent(load, whatIf, liquidations);

  const response = new ImageResponse(
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
        <div style={{ display: "flex", fontSize: 36, color: "#a3adbd" }}>{headline ? `Soft Landing - ${headline}` : "Soft Landing"}</div>
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
        <div style={{ display: "flex", flexDirection: "column", gap: 12 }}>
          {clock ? <div style={{ display: "flex", fontSize: 34, color: "#fcd34d" }}>{clock}</div> : null}
          <div style={{ display: "flex", fontSize: 32, color: "#a3adbd" }}>{hf ? detail : "Borrow with soft liquidation"}</div>
        </div>
      </div>
    ),
    {
      ...OG_SIZE,
      fonts: [{ name: "Geist", data: font, weight: 400, style: "normal" }],
      // The versioned URL is what caches key on; the image at one URL is the state when it was first drawn.
      headers: { "cache-control": "public, max-age=60, s-maxage=60" },
    },
  );
  if (load.kind === "invalid-address") return new Response(response.body, { status: 404, headers: response.headers });
  return response;
}
