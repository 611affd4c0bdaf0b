import type { Metadata, Viewport } from "next";
import localFont from "next/font/local";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { ErrorPanel } from "@/components/ErrorPanel";
import { HeaderWallet } from "@/components/HeaderWallet";
import { ThemeToggle } from "@/components/ThemeToggle";
import { themeInitScript } from "@/components/theme-script";
import { loadAppConfig } from "@/lib/chain/config";
import { Providers } from "./providers";
import "./globals.css";

const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  weight: "100 900",
  display: "swap",
});

export const metadata: Metadata = {
  title: { default: "Soft Landing", template: "%s · Soft Landing" },
  description: "Borrow against several collaterals; if prices fall, your position is unwound in small, low-penalty slices.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f7f8fa" },
    { media: "(prefers-color-scheme: dark)", color: "#0b1020" },
  ],
};

function Header({ wallet }: { wallet?: ReactNode }) {
  return (
    <header className="border-b border-border bg-card">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="text-lg font-bold tracking-tight">
          Soft Landing
        </Link>
        <nav aria-label="Main" className="flex gap-4 text-sm">
          <Link href="/" className="hover:underline">
            Markets
          </Link>
          <Link href="/borrow" className="hover:underline">
            Borrow
          </Link>
        </nav>
        <div className="ml-auto flex items-center gap-2">
          {wallet}
          <ThemeToggle />
        </div>
      </div>
    </header>
  );
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Config and deployment are read per request (tests and the devnet swap deployments without a rebuild).
  await connection();
  const config = await loadAppConfig();
  return (
    <html lang="en" className={inter.variable} suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeInitScript }} />
      </head>
      <body className="min-h-screen bg-bg text-fg antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-card focus:p-2">
          Skip to content
        </a>
        {config.ok ? (
          <Providers deployment={config.config.deployment}>
            <Header wallet={<HeaderWallet />} />
            <main id="main" className="mx-auto max-w-6xl px-4 py-6">
              {children}
            </main>
          </Providers>
        ) : (
          <>
            <Header />
            <main id="main" className="mx-auto max-w-6xl px-4 py-6">
              <ErrorPanel title={config.title} testId="config-error">
                <p>{config.error}</p>
              </ErrorPanel>
            </main>
          </>
        )}
      </body>
    </html>
  );
}
