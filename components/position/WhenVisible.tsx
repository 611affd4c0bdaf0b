"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * Renders `children` once the placeholder comes within `margin` of the viewport, and keeps them after. The charts
 * below the first screen cost the main thread most of the page's work (a walk, a shock curve, recharts): a phone that
 * opens a shared link sees the health first and pays for the charts only on the way down. The placeholder has the
 * section's final size, so nothing moves when it is swapped.
 */
export function WhenVisible({ placeholder, children, margin = "400px" }: { placeholder: ReactNode; children: ReactNode; margin?: string }) {
  const [visible, setVisible] = useState(false);
  const anchor = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = anchor.current;
    if (!node || visible) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setVisible(true);
          observer.disconnect();
        }
      },
      { rootMargin: margin },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [visible, margin]);
  if (visible) return <>{children}</>;
  return <div ref={anchor}>{placeholder}</div>;
}
