// Positioned issues of a YAML file checked by a zod schema (the manifest, a study file): zod's
// issues in our words, the position of the node a path names, and the salvage of well-formed fields
// so whole-file rules can run beside schema errors.
import { closest, distance } from "fastest-levenshtein";
import { isMap, isScalar, isSeq, type Document, type Node, type Pair } from "yaml";
import { z } from "zod";

export type Path = readonly PropertyKey[];
export interface Issue { path: Path; message: string; onKey?: boolean }

/**
 * Zod's issues of a parse by `root` as positioned issues; an unknown key gets a did-you-mean from
 * the keys `root` allows at its path, or the reason in `refused` when it is a known mistake.
 */
export function fromZod(zodIssues: readonly z.core.$ZodIssue[], root: z.ZodType, refused: Record<string, string> = {}): Issue[] {
  return zodIssues.flatMap((iss): Issue[] => {
    if (iss.code === "unrecognized_keys") {
      const known = keysAt(root, iss.path);
      return iss.keys.map((key) => ({
        path: [...iss.path, key],
        onKey: true,
        message: refused[key] ?? `unknown key "${key}"${didYouMean(key, known)}${known.length ? `; allowed here: ${known.join(", ")}` : ""}`,
      }));
    }
    if (iss.code === "invalid_key") {
      return [{ path: iss.path, onKey: true, message: iss.issues[0]?.message ?? iss.message }];
    }
    return [{ path: iss.path, message: iss.message }];
  });
}

/**
 * The parts of a value that pass their own schema: fields of maps, entries of records, items of
 * lists (left sparse so indices still name positions). Schema errors are already reported by the
 * full parse; this keeps what is good for the whole-file rules. Undefined when nothing is usable.
 */
export function salvage(schema: z.ZodType, value: unknown): unknown {
  const whole = schema.safeParse(value);
  if (whole.success) return whole.data;
  const s = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  const isMapValue = value !== null && typeof value === "object" && !Array.isArray(value);
  if (s instanceof z.ZodObject && isMapValue) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(s.shape as Record<string, z.ZodType>)) {
      const v = (value as Record<string, unknown>)[key];
      const good = v === undefined ? undefined : salvage(field, v);
      if (good !== undefined) out[key] = good;
    }
    return out;
  }
  if (s instanceof z.ZodRecord && isMapValue) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => (s.keyType as z.ZodType).safeParse(k).success && (s.valueType as z.ZodType).safeParse(v).success);
    return Object.fromEntries(entries);
  }
  if (s instanceof z.ZodArray && Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    value.forEach((v, i) => {
      const good = salvage(s.element as z.ZodType, v);
      if (good !== undefined) out[i] = good;
    });
    return out;
  }
  return undefined;
}

/** The keys the object schema at `path` below `root` allows (none when the path leads elsewhere). */
export function keysAt(root: z.ZodType, path: Path): string[] {
  let s: z.ZodType | undefined = root;
  for (let i = 0; ; i++) {
    // Wrappers that leave the value's shape alone: optional, nullable, default, a pipe's input (transforms).
    while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault || s instanceof z.ZodPipe) {
      s = (s instanceof z.ZodPipe ? s.in : s.unwrap()) as z.ZodType;
    }
    if (i === path.length) return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
    const seg = path[i];
    if (s instanceof z.ZodObject && typeof seg === "string") s = (s.shape as Record<string, z.ZodType>)[seg];
    else if (s instanceof z.ZodArray && typeof seg === "number") s = s.element as z.ZodType;
    else return [];
    if (s === undefined) return [];
  }
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return "";
  const best = closest(word, candidates as string[]);
  return distance(word, best) <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean "${best}"?)` : "";
}

/** The source offset of the node a path names, or of its deepest existing ancestor. */
export function offsetOf(doc: Document, issue: Pick<Issue, "path" | "onKey">): number {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  for (const seg of issue.path) {
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) break;
      key = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
      key = undefined;
      node = node.items[seg];
    } else break;
  }
  const target = issue.onKey && key ? key : (node as Node | null | undefined)?.range ? (node as Node) : key;
  return target?.range?.[0] ?? 0;
}
