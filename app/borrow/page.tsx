import type { Metadata } from "next";
import { BorrowFormIsland } from "./BorrowFormIsland";

export const metadata: Metadata = {
  title: "Open a position",
  description: "Lock one or more collaterals and borrow, seeing your health, liquidation prices and soft-liquidation distance before you send.",
};

export default function BorrowPage() {
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-2xl font-semibold">Open a position</h1>
        <p className="text-muted">
          Lock one or more collaterals and borrow against all of them together. Health, zone and liquidation prices
          update as you type.
        </p>
      </header>
      <BorrowFormIsland />
    </div>
  );
}
