"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { ErrorPanel } from "@/components/ErrorPanel";

/** The position route answers 404 for anything that is not an address; this says what a link should look like. */
export default function NotAnAddress() {
  const segment = usePathname().split("/").pop() ?? "";
  let input = segment;
  try {
    input = decodeURIComponent(segment);
  } catch {
    // a malformed escape: show it as typed
  }
  return (
    <ErrorPanel title="That is not an address" testId="invalid-address">
      <p>
        &ldquo;<code className="break-all">{input}</code>&rdquo; is not an Ethereum address. A position link looks like{" "}
        <code className="break-all">/position/0x90F7…b906</code> with the full 40-hex-digit address.
      </p>
      <p>
        <Link href="/" className="text-accent underline">
          Back to the markets
        </Link>
      </p>
    </ErrorPanel>
  );
}
