import { Link, useLocation } from "@remix-run/react";

/**
 * A column heading that sorts the table by its column: a plain link to the
 * same page with `sort=<key>` (filters kept, back to the first page), so it
 * works without scripts. The sorted column says so to screen readers
 * (aria-sort) and shows an arrow.
 */
export function SortHeader({ label, sortKey, current, direction }: { label: string; sortKey: string; current: string; direction: "ascending" | "descending" }) {
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  params.set("sort", sortKey);
  params.delete("page");
  const sorted = current === sortKey;
  return (
    <th scope="col" aria-sort={sorted ? direction : undefined}>
      <Link className="sort-link" to={`?${params.toString()}`}>
        {label}
        {sorted ? <span aria-hidden="true">{direction === "ascending" ? " ▲" : " ▼"}</span> : null}
      </Link>
    </th>
  );
}
