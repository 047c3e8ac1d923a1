// How every bench states a target: the figure, the bound, and PASS or MISS on the same line, so a
// missed target is seen in the output, not only in a note.
export function verdict(label: string, value: number, bound: number, opts: { unit?: string; higherIsBetter?: boolean; digits?: number } = {}): string {
  const { unit = "x", higherIsBetter = false, digits = 2 } = opts;
  const ok = higherIsBetter ? value >= bound : value <= bound;
  return `${ok ? "PASS" : "MISS"}  ${label}: ${value.toFixed(digits)}${unit} (target ${higherIsBetter ? ">=" : "<="} ${bound}${unit})`;
}
