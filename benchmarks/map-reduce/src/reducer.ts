// A reducer: sums its partition from every mapper, writes the counts, returns its top words.
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { bodyText, clients, intermediateKey, outputKey, topWords, type ReducerEvent, type ReducerResult } from "./shared";

export async function reduce(event: ReducerEvent): Promise<ReducerResult> {
  const s3 = clients.s3();
  const counts = new Map<string, number>();
  const parts = await Promise.all(Array.from({ length: event.mappers }, async (_, m) => {
    const obj = await s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: intermediateKey(event.job, m, event.reducer) }));
    return JSON.parse(await bodyText(obj.Body)) as Record<string, number>;
  }));
  let total = 0;
  for (const part of parts) {
    for (const [w, n] of Object.entries(part)) {
      counts.set(w, (counts.get(w) ?? 0) + n);
      total += n;
    }
  }
  await s3.send(new PutObjectCommand({
    Bucket: event.bucket,
    Key: outputKey(event.job, event.reducer),
    Body: JSON.stringify(Object.fromEntries(counts)),
    ContentType: "application/json",
  }));
  return { reducer: event.reducer, words: total, distinct: counts.size, top: topWords(counts, event.top) };
}
