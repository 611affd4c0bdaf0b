import { QueryClient } from "@tanstack/react-query";

let browserClient: QueryClient | undefined;

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: { queries: { staleTime: 4_000, refetchOnWindowFocus: false, retry: 1 } },
  });
}

/**
 * The page's one TanStack Query cache. Lazily loaded parts of a page (the live position view, the wallet, the
 * actions) each mount a `QueryClientProvider` with this same client, so they share reads and invalidations.
 * On the server a fresh client per call, so requests never share data.
 */
export function getQueryClient(): QueryClient {
  if (typeof window === "undefined") return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}
