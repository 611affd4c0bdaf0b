"use client";

import dynamic from "next/dynamic";

/** "Your position" for a connected wallet; wallet code loads after the page. */
const Inner = dynamic(() => import("./YourPositionLinkInner").then((m) => m.YourPositionLinkInner), {
  ssr: false,
  loading: () => null,
});

export function YourPositionLink() {
  return (
    <div className="ml-auto min-h-10">
      <Inner />
    </div>
  );
}
