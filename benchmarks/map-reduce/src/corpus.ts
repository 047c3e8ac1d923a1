// A deterministic synthetic corpus: words drawn from a fixed vocabulary with a Zipf-like skew
// (a few words very common, most rare, as in text), from a seeded generator.

/** mulberry32: a small seeded PRNG, so a corpus is the same for the same seed everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "da", "fu", "go", "hi", "ja", "pe", "qu"];
export const VOCABULARY: readonly string[] = Array.from({ length: 1000 }, (_, i) => {
  let w = "";
  let n = i + 1;
  while (n > 0) {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return w;
});

/** Object `index` of a corpus: about `bytes` bytes of words, 12 to a line. */
export function corpusObject(seed: number, index: number, bytes: number): string {
  const next = rng(seed * 1_000_003 + index);
  const lines: string[] = [];
  let line: string[] = [];
  let size = 0;
  while (size < bytes) {
    // Zipf-like: rank = floor(V^u) - 1 for uniform u skews toward low ranks.
    const rank = Math.min(VOCABULARY.length - 1, Math.floor(Math.pow(VOCABULARY.length, next())) - 1);
    const w = VOCABULARY[rank];
    line.push(w);
    size += w.length + 1;
    if (line.length === 12) {
      lines.push(line.join(" "));
      line = [];
    }
  }
  if (line.length) lines.push(line.join(" "));
  return `${lines.join("\n")}\n`;
}
