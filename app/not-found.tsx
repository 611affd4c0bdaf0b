import Link from "next/link";
import { ErrorPanel } from "@/components/ErrorPanel";

export default function NotFound() {
  return (
    <ErrorPanel title="Page not found" testId="not-found">
      <p>There is no page at this address.</p>
      <p>
        <Link href="/" className="text-accent underline">
          Back to the markets
        </Link>
      </p>
    </ErrorPanel>
  );
}
