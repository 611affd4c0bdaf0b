import type { ReactNode } from "react";

/** A clear, full-width message for states where the page cannot show a position (never a blank screen). */
export function ErrorPanel({
  title,
  children,
  tone = "error",
  testId,
}: {
  title: string;
  children: ReactNode;
  tone?: "error" | "info";
  testId?: string;
}) {
  return (
    <section
      role={tone === "error" ? "alert" : "status"}
      data-testid={testId}
      className={`mx-auto my-8 max-w-2xl rounded-xl border p-6 ${
        tone === "error" ? "border-hard bg-hard-bg" : "border-border bg-card"
      }`}
    >
      <h1 className="mb-2 text-xl font-semibold">{title}</h1>
      <div className="space-y-2 text-sm leading-relaxed">{children}</div>
    </section>
  );
}
