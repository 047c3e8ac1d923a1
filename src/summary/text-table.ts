// The CLI's plain-text tables: columns as wide as their widest cell, no trailing spaces. The first
// column is the row's label, left-aligned, unless the rows are keyed by a figure (a memory size, a
// burst's number): then it is right-aligned like the figures beside it.
export function textTable(rows: string[][], gap = "  ", firstColumn: "label" | "figure" = "label"): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const cell = (c: string, i: number) => (i === 0 && firstColumn === "label" ? c.padEnd(widths[i]) : c.padStart(widths[i]));
  return rows.map((r) => r.map(cell).join(gap).trimEnd()).join("\n");
}
