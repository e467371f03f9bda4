/**
 * Saves the engine's state with the last stream sequence it covers. A state
 * larger than one KV value is split into chunks; the manifest is written last,
 * so a crash mid-save leaves the previous snapshot readable.
 */
import type { TypedBucket } from "@rea/bus";
import { z } from "zod";

const CHUNK_CHARS = 512 * 1024;

export const SnapshotRecordSchema = z.union([
  z.strictObject({
    kind: z.literal("manifest"),
    seq: z.int().min(0),
    chunks: z.int().min(0),
    generation: z.string(),
    savedAt: z.string(),
  }),
  z.strictObject({ kind: z.literal("chunk"), data: z.string() }),
]);
export type SnapshotRecord = z.infer<typeof SnapshotRecordSchema>;

export interface Snapshot<S> {
  seq: number;
  state: S;
}

export class SnapshotStore<S> {
  constructor(
    private readonly bucket: TypedBucket<SnapshotRecord>,
    private readonly name: string,
  ) {}

  async save(snapshot: Snapshot<S>, nowMs: number): Promise<void> {
    const json = JSON.stringify(snapshot.state);
    const generation = nowMs.toString(36);
    const chunks = Math.ceil(json.length / CHUNK_CHARS);
    for (let i = 0; i < chunks; i++) {
      await this.bucket.put(`${this.name}.${generation}.${i}`, {
        kind: "chunk",
        data: json.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS),
      });
    }
    const previous = await this.bucket.get(this.name);
    await this.bucket.put(this.name, {
      kind: "manifest",
      seq: snapshot.seq,
      chunks,
      generation,
      savedAt: new Date(nowMs).toISOString(),
    });
    if (previous?.value.kind === "manifest" && previous.value.generation !== generation) {
      for (let i = 0; i < previous.value.chunks; i++)
        await this.bucket.delete(`${this.name}.${previous.value.generation}.${i}`);
    }
  }

  async load(): Promise<Snapshot<S> | undefined> {
    const manifest = await this.bucket.get(this.name);
    if (manifest?.value.kind !== "manifest") return undefined;
    const { seq, chunks, generation } = manifest.value;
    let json = "";
    for (let i = 0; i < chunks; i++) {
      const chunk = await this.bucket.get(`${this.name}.${generation}.${i}`);
      if (chunk?.value.kind !== "chunk") throw new Error(`snapshot ${this.name} is missing chunk ${i}`);
      json += chunk.value.data;
    }
    return { seq, state: JSON.parse(json) as S };
  }
}
