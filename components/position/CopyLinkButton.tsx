"use client";

import { useState } from "react";

/** Copies the current URL (including what-if prices) to the clipboard. */
export function CopyLinkButton() {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <>
      <button
        type="button"
        data-testid="copy-link"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(window.location.href);
            setState("copied");
          } catch {
            setState("failed");
          }
          setTimeout(() => setState("idle"), 2_500);
        }}
        className="h-9 w-28 rounded-md bg-accent px-3 text-sm font-semibold text-accent-fg hover:opacity-90"
      >
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy link"}
      </button>
      <span role="status" className="sr-only">
        {state === "copied" ? "Link copied to the clipboard" : state === "failed" ? "Could not copy; copy the address bar instead" : ""}
      </span>
    </>
  );
}
