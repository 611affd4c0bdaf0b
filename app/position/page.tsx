import { redirect } from "next/navigation";
import { ErrorPanel } from "@/components/ErrorPanel";

/** Target of the "look up a position" form (works without JavaScript): /position?address=0x… → /position/0x… */
export default async function PositionLookup({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { address } = await searchParams;
  const value = (Array.isArray(address) ? address[0] : address)?.trim();
  if (value) redirect(`/position/${encodeURIComponent(value)}`);
  return (
    <ErrorPanel title="Which position?" tone="info">
      <p>Add an address: /position/0x… shows the health of that account.</p>
    </ErrorPanel>
  );
}
