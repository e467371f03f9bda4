/** Random ids and secrets: base62, from the platform's CSPRNG. */
import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      // 248 = 4 * 62: drop the rest to avoid bias
      if (b < 248 && out.length < length) out += ALPHABET[b % 62];
    }
  }
  return out;
}

export const newId = (prefix: "u" | "r" | "c"): string => `${prefix}_${randomBase62(16)}`;

/** API keys: `rea_` and 32 base62 characters (about 190 bits). */
export const newApiKey = (): string => `rea_${randomBase62(32)}`;

/** A 6-digit one-time code. */
export function newCode(): string {
  const n = randomBytes(4).readUInt32BE(0) % 1_000_000;
  return n.toString().padStart(6, "0");
}

export const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");
