// A mapper: counts the words of its input objects and writes one partition object per reducer
// (empty ones too, so a reducer knows exactly which objects to read).
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { bodyText, clients, intermediateKey, partition, words, type MapperEvent, type MapperResult } from "./shared";

export async function map(event: MapperEvent): Promise<MapperResult> {
  const s3 = clients.s3();
  const parts: Map<string, number>[] = Array.from({ length: event.reducers }, () => new Map());
  let total = 0;
  for (const key of event.keys) {
    const obj = await s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: key }));
    for (const w of words(await bodyText(obj.Body))) {
      const part = parts[partition(w, event.reducers)];
      part.set(w, (part.get(w) ?? 0) + 1);
      total++;
    }
  }
  await Promise.all(parts.map((counts, r) => s3.send(new PutObjectCommand({
    Bucket: event.bucket,
    Key: intermediateKey(event.job, event.mapper, r),
    Body: JSON.stringify(Object.fromEntries(counts)),
    ContentType: "application/json",
  }))));
  return { mapper: event.mapper, objects: event.keys.length, words: total, written: parts.length };
}
