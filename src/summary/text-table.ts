// The CLI's plain-text tables: the first column left-aligned (the row's label), the others
// right-aligned (figures), columns as wide as their widest cell, no trailing spaces.
export function textTable(rows: string[][], gap = "  "): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(gap).trimEnd()).join("\n");
}
