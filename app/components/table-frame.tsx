import type { ReactNode } from "react";

/**
 * A table's scrolling frame. A frame that scrolls must be reachable by keyboard (WCAG 2.1.1; axe
 * `scrollable-region-focusable`), and a focusable frame needs a name, so every frame takes the id of
 * the heading that names its table, or a label.
 */
export function TableFrame({
  labelledBy,
  label,
  className = "table-wrap",
  children,
}: {
  children: ReactNode;
  className?: string;
} & ({ labelledBy: string; label?: never } | { label: string; labelledBy?: never })) {
  return (
    <div className={className} tabIndex={0} role="group" aria-labelledby={labelledBy} aria-label={label}>
      {children}
    </div>
  );
}
