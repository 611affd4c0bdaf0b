export default function MarketsPage() {
  return <h1 className="text-2xl font-semibold">Markets</h1>;
}
