/**
 * Web figures for the shareable position page (DESIGN §6):
 *  1. first-load JS per route, gzip, from the production build's manifests (framework + the route's entry chunks);
 *     and, for honesty, all JS the share page actually downloads once it has settled (lazy chunks included);
 *  2. RPC requests while loading the page and on each refresh (new block), counted by a proxy between the app
 *     and anvil (server render and browser separately; target: 1 lens eth_call per refresh);
 *  3. Lighthouse (performance score, LCP, TBT, CLS) of the share page in Debian's Chromium.
 *
 * Runs on its own devnet (the e2e fixture: anvil, real contracts, seeded positions, a production Next build on a
 * port in 3100–3199). Writes bench/results/web.json and web.md.
 *
 *   npm run bench:web [-- --refreshes 5] [-- --no-lighthouse]
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";
import { CHROMIUM_ARGS } from "../lib/devnet/chromium";
import { ROOT } from "../lib/devnet/anvil";
import { startDevnet, type Devnet } from "../lib/devnet/app-devnet";
import type { RpcCounts } from "../lib/devnet/rpc-proxy";
import { machineInfo, machineMarkdown } from "./lib/machine";
import { loadLighthouse } from "./tools/lighthouse";

const DIST_DIR = "node_modules/.cache/soft-landing-bench-web";
const RESULTS = path.join(ROOT, "bench/results");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const REFRESHES = Number(arg("refreshes") ?? 5);
const RUN_LIGHTHOUSE = !process.argv.includes("--no-lighthouse");
if (!Number.isInteger(REFRESHES) || REFRESHES < 1 || REFRESHES > 100) {
  console.error("--refreshes must be an integer from 1 to 100");
  process.exit(2);
}

const kB = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const gzipBytes = (buffer: Buffer) => gzipSync(buffer, { level: 9 }).length;

/* ------------------------------------------------------------ 1. bundle sizes ------------------------------------------------------------ */

interface RouteSize {
  route: string;
  files: number;
  firstLoadGzipKB: number;
  appGzipKB: number;
}

function readClientManifest(dist: string, route: string): Record<string, string[]> {
  const file = path.join(dist, "server/app", `${route === "/" ? "" : route}/page_client-reference-manifest.js`.replace(/^\//, ""));
  const sandbox: { self: Record<string, unknown> } = { self: {} };
  // The manifest is a script assigning globalThis.__RSC_MANIFEST[route] = {...}.
  new Function("self", "globalThis", readFileSync(file, "utf8"))(sandbox.self, sandbox.self);
  const manifests = sandbox.self.__RSC_MANIFEST as Record<string, { entryJSFiles: Record<string, string[]> }>;
  const entry = Object.values(manifests)[0];
  if (!entry) throw new Error(`no client reference manifest in ${file}`);
  return entry.entryJSFiles;
}

function bundleSizes(dist: string): { frameworkGzipKB: number; routes: RouteSize[] } {
  const build = JSON.parse(readFileSync(path.join(dist, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const size = (files: Iterable<string>) => {
    let total = 0;
    for (const f of files) total += gzipBytes(readFileSync(path.join(dist, f)));
    return total;
  };
  const framework = size(build.rootMainFiles);
  const routes: RouteSize[] = [];
  for (const route of ["/position/[address]", "/", "/borrow", "/_not-found"]) {
    let entries: Record<string, string[]>;
    try {
      entries = readClientManifest(dist, route);
    } catch {
      continue; // route not built (e.g. /borrow before it exists)
    }
    const files = new Set([...build.rootMainFiles, ...Object.values(entries).flat()]);
    const total = size(files);
    routes.push({ route, files: files.size, firstLoadGzipKB: kB(total), appGzipKB: kB(total - framework) });
  }
  return { frameworkGzipKB: kB(framework), routes };
}

/* ------------------------------------------------------------ 2. RPC counts ------------------------------------------------------------ */

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function shownBlock(page: Page): Promise<bigint> {
  const text = (await page.getByText(/^Block \d+/).first().textContent()) ?? "";
  return BigInt(/Block (\d+)/.exec(text)?.[1] ?? "0");
}

async function rpcCounts(devnet: Devnet) {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ reducedMotion: "reduce" });
    const page = await context.newPage();
    // Long main-thread tasks (> 50 ms) from navigation on: a TBT-like figure without Lighthouse's throttling.
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[][] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
      }).observe({ type: "longtask", buffered: true });
    });
    const url = `${devnet.state.baseURL}/position/${devnet.state.accounts.softFlagged}`;

    // JS actually downloaded by the page: before the load event, and in total once it has settled.
    const js: { url: string; gzip: number; afterLoad: boolean }[] = [];
    let loaded = false;
    page.on("load", () => (loaded = true));
    page.on("response", async (response) => {
      if (response.request().resourceType() !== "script" || !response.url().startsWith(devnet.state.baseURL)) return;
      const afterLoad = loaded;
      try {
        js.push({ url: response.url(), gzip: gzipBytes(await response.body()), afterLoad });
      } catch {
        // a response without a body (redirect) carries no JS
      }
    });

    devnet.proxy.reset();
    await page.goto(url);
    await page.getByTestId("position").and(page.locator('[data-live="true"]')).waitFor();
    await page.getByTestId("history").getByText(/Flagged|No flags/).first().waitFor();
    await page.waitForTimeout(500);
    // The first screen has settled (live view, health, actions, history): what opening a shared link costs.
    const firstScreenAt = await page.evaluate(() => performance.now());
    // Then a reader scrolls down: each chart is drawn as it comes near the screen (components/position/WhenVisible).
    for (const [heading, section] of [["bands-heading", "band-exposure"], ["shock-heading", "shock"], ["forecast-heading", "forecast"]] as const) {
      await page.evaluate((id) => document.getElementById(id)?.scrollIntoView({ block: "center" }), heading);
      await page.getByTestId(section).waitFor({ state: "attached" });
    }
    await page
      .getByTestId("forecast-table")
      .waitFor({ timeout: 90_000 })
      .catch(async (error: unknown) => {
        console.error("the forecast did not settle; it shows:", await page.getByTestId("forecast").innerText().catch(() => "(nothing)"));
        throw error;
      });
    await page.waitForTimeout(500);
    const load: RpcCounts = devnet.proxy.stats();
    // Idle for 10 s: nothing should keep the main thread busy once the page has settled.
    const settledAt = await page.evaluate(() => performance.now());
    await page.waitForTimeout(10_000);
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[][] }).__longTasks);
    const blocking = (tasks: number[][]) => tasks.reduce((a, [, d]) => a + Math.max(0, (d ?? 0) - 50), 0);
    const mainThread = {
      firstScreenBlockingMs: blocking(longTasks.filter(([t]) => (t ?? 0) < firstScreenAt)),
      chartsBlockingMs: blocking(longTasks.filter(([t]) => (t ?? 0) >= firstScreenAt && (t ?? 0) < settledAt)),
      untilSettledBlockingMs: blocking(longTasks.filter(([t]) => (t ?? 0) < settledAt)),
      idle10sBlockingMs: blocking(longTasks.filter(([t]) => (t ?? 0) >= settledAt)),
      longTasks: longTasks.length,
      firstScreenAtMs: Math.round(firstScreenAt),
      settledAtMs: Math.round(settledAt),
    };

    const perRefresh: { block: string; browser: Record<string, number>; httpRequests: number }[] = [];
    for (let i = 0; i < REFRESHES; i++) {
      const before = await shownBlock(page);
      devnet.proxy.reset();
      // A new block mined directly on anvil (not through the app's proxy): the page hears of it over its
      // WebSocket subscription and re-reads the position.
      await fetch(devnet.state.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] }),
      });
      const block = await waitFor("the page to show the new block", async () => {
        const b = await shownBlock(page);
        return b > before ? b : undefined;
      });
      await page.waitForTimeout(1_000); // anything else the refresh would trigger has time to show up
      const stats = devnet.proxy.stats();
      perRefresh.push({ block: block.toString(), browser: stats.browser, httpRequests: stats.httpRequests.browser });
    }

    const beforeLoad = js.filter((j) => !j.afterLoad);
    return {
      mainThread,
      load: {
        serverRender: load.server,
        serverHttpRequests: load.httpRequests.server,
        browser: load.browser,
        browserHttpRequests: load.httpRequests.browser,
        webSocketConnections: load.webSocketConnections,
        positionReads: (load.server.eth_call ?? 0) + (load.browser.eth_call ?? 0),
      },
      perRefresh,
      positionReadsPerRefresh: perRefresh.map((r) => r.browser.eth_call ?? 0),
      allRequestsPerRefresh: perRefresh.map((r) => sum(r.browser)),
      downloadedJs: {
        beforeLoadEventGzipKB: kB(beforeLoad.reduce((a, j) => a + j.gzip, 0)),
        totalAfterSettledGzipKB: kB(js.reduce((a, j) => a + j.gzip, 0)),
        scripts: js.length,
      },
    };
  } finally {
    await browser.close();
  }
}

/* ------------------------------------------------------------ 3. Lighthouse ------------------------------------------------------------ */

async function runLighthouse(url: string, formFactor: "mobile" | "desktop") {
  const { lighthouse, chromeLauncher } = await loadLighthouse(ROOT);
  const chrome = await chromeLauncher.launch({
    chromePath: "/usr/bin/chromium",
    chromeFlags: [...CHROMIUM_ARGS, "--headless=new"],
  });
  try {
    const desktop = formFactor === "desktop";
    const result = await lighthouse(
      url,
      { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"] },
      {
        extends: "lighthouse:default",
        settings: desktop
          ? {
              formFactor: "desktop",
              screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false },
              throttling: { rttMs: 40, throughputKbps: 10_240, cpuSlowdownMultiplier: 1, requestLatencyMs: 0, downloadThroughputKbps: 0, uploadThroughputKbps: 0 },
            }
          : {},
      },
    );
    if (!result) throw new Error("lighthouse returned no result");
    const lhr = result.lhr;
    const audit = (id: string) => lhr.audits[id]?.numericValue ?? null;
    // Where the main thread went: the scripts that cost the most CPU (parse, compile, run), largest first.
    const bootup = (((lhr.audits["bootup-time"] as { details?: unknown } | undefined)?.details as { items?: { url: string; total: number; scripting: number; scriptParseCompile: number }[] } | undefined)?.items ?? [])
      .slice(0, 6)
      .map((i) => ({ script: i.url.replace(/^https?:\/\/[^/]+/, ""), totalMs: Math.round(i.total), scriptingMs: Math.round(i.scripting), parseCompileMs: Math.round(i.scriptParseCompile) }));
    return {
      formFactor,
      throttling: desktop ? "desktop preset (40 ms RTT, 10 Mbit/s, no CPU slowdown)" : "Lighthouse default mobile (simulated slow 4G, 4× CPU slowdown)",
      performanceScore: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      lcpMs: audit("largest-contentful-paint"),
      tbtMs: audit("total-blocking-time"),
      cls: audit("cumulative-layout-shift"),
      fcpMs: audit("first-contentful-paint"),
      speedIndexMs: audit("speed-index"),
      lighthouseVersion: lhr.lighthouseVersion,
      bootup,
    };
  } finally {
    chrome.kill();
  }
}

/* ------------------------------------------------------------ main ------------------------------------------------------------ */

async function main() {
  const started = Date.now();
  console.log("starting devnet and building the app (production)…");
  const devnet = await startDevnet({ distDir: DIST_DIR });
  try {
    const sizes = bundleSizes(path.join(ROOT, DIST_DIR));
    console.log("bundle sizes", JSON.stringify(sizes));
    const rpc = await rpcCounts(devnet);
    console.log("rpc", JSON.stringify(rpc));
    const shareUrl = `${devnet.state.baseURL}/position/${devnet.state.accounts.softFlagged}`;
    const lighthouseRuns = RUN_LIGHTHOUSE ? [await runLighthouse(shareUrl, "mobile"), await runLighthouse(shareUrl, "desktop")] : [];
    console.log("lighthouse", JSON.stringify(lighthouseRuns));

    let chromiumVersion = "unknown";
    try {
      chromiumVersion = execFileSync("/usr/bin/chromium", ["--version"], { encoding: "utf8" }).trim();
    } catch {
      // leave unknown
    }
    const share = sizes.routes.find((r) => r.route === "/position/[address]");
    const result = {
      machine: { ...machineInfo(), chromium: chromiumVersion, nextBundler: "Turbopack (next build)" },
      targets: { shareFirstLoadGzipKB: 120, positionReadsPerRefresh: 1 },
      firstLoadJs: sizes,
      rpc,
      lighthouse: lighthouseRuns,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(path.join(RESULTS, "web.json"), `${JSON.stringify(result, null, 2)}\n`);

    const md = [
      "# Web benchmark (`npm run bench:web`)",
      "",
      "Share page = `/position/[address]` of the seeded SOFT position, production build, Debian Chromium.",
      "",
      "## First-load JS (gzip -9, from the build manifests)",
      "",
      "| route | first-load JS | of which app code | files |",
      "|---|---:|---:|---:|",
      ...sizes.routes.map((r) => `| \`${r.route}\` | ${r.firstLoadGzipKB} kB | ${r.appGzipKB} kB | ${r.files} |`),
      "",
      `Framework alone (React 19 + Next 16 runtime, \`rootMainFiles\`): **${sizes.frameworkGzipKB} kB**. Target for the share page: <= 120 kB` +
        (share ? ` → **${share.firstLoadGzipKB <= 120 ? "met" : "not met"}** (${share.firstLoadGzipKB} kB).` : "."),
      "",
      `Measured in the browser: ${rpc.downloadedJs.beforeLoadEventGzipKB} kB of JS (gzip) before the load event, ${rpc.downloadedJs.totalAfterSettledGzipKB} kB in total once the live view, charts and worker have loaded (${rpc.downloadedJs.scripts} scripts).`,
      "",
      `Main thread in Chromium without throttling (blocking time: long-task time over 50 ms): **${rpc.mainThread.firstScreenBlockingMs} ms** until the first screen had settled (live view, health, actions, history: ${rpc.mainThread.firstScreenAtMs} ms after navigation; target < 150 ms), then ${rpc.mainThread.chartsBlockingMs} ms while a reader scrolls through the charts (drawn as they come into view), ${rpc.mainThread.untilSettledBlockingMs} ms in all until everything had settled (${rpc.mainThread.settledAtMs} ms), ${rpc.mainThread.idle10sBlockingMs} ms in the following 10 s idle.`,
      "",
      "## RPC requests",
      "",
      `- Loading the page: server render ${JSON.stringify(rpc.load.serverRender)}; browser ${JSON.stringify(rpc.load.browser)}; WebSocket connections ${rpc.load.webSocketConnections}.`,
      `  Position reads (lens \`getPosition\` eth_call) for the whole load: **${rpc.load.positionReads}**. The event history (eth_getLogs + block times) is a separate query.`,
      `- Per refresh (new block, ${REFRESHES} refreshes): position reads ${JSON.stringify(rpc.positionReadsPerRefresh)}, all browser requests ${JSON.stringify(rpc.allRequestsPerRefresh)}. Target: 1 per refresh.`,
      "",
      "## Lighthouse (share page)",
      "",
      ...(lighthouseRuns.length
        ? [
            "| form factor | performance | LCP | TBT | CLS | FCP |",
            "|---|---:|---:|---:|---:|---:|",
            ...lighthouseRuns.map(
              (l) =>
                `| ${l.formFactor} (${l.throttling}) | ${l.performanceScore} | ${Math.round(l.lcpMs ?? 0)} ms | ${Math.round(l.tbtMs ?? 0)} ms | ${(l.cls ?? 0).toFixed(3)} | ${Math.round(l.fcpMs ?? 0)} ms |`,
            ),
          ]
        : ["(skipped: --no-lighthouse)"]),
      ...lighthouseRuns
        .filter((l) => l.formFactor === "mobile" && l.bootup.length > 0)
        .flatMap((l) => [
          "",
          "Where the mobile run's main thread went (Lighthouse `bootup-time`, 4× CPU slowdown), costliest scripts first:",
          "",
          "| script | total | scripting | parse + compile |",
          "|---|---:|---:|---:|",
          ...l.bootup.map((b) => `| \`${b.script}\` | ${b.totalMs} ms | ${b.scriptingMs} ms | ${b.parseCompileMs} ms |`),
        ]),
      "",
      "## Machine",
      "",
      machineMarkdown(result.machine),
      `- ${chromiumVersion}`,
      "",
    ].join("\n");
    writeFileSync(path.join(RESULTS, "web.md"), md);
    console.log(md);
  } finally {
    await devnet.stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
