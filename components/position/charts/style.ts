/** The charts' tooltip box, in the theme's colours (both themes). */
export const TOOLTIP_STYLE = { background: "var(--card)", border: "1px solid var(--border)", color: "var(--fg)" } as const;
