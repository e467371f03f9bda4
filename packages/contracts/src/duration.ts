/** Durations written as `<n><unit>` (`90s`, `15m`, `4h`, `30d`, `2w`). */
import { z } from "zod";

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION_PATTERN = /^([1-9][0-9]{0,5})(s|m|h|d|w)$/;

export const DurationSchema = z
  .string()
  .regex(DURATION_PATTERN, 'a duration is a whole number and a unit: "90s", "15m", "4h", "30d", "2w"');
export type Duration = z.infer<typeof DurationSchema>;

/**
 * Milliseconds in a duration string.
 * @example durationMs("30d") // 2_592_000_000
 */
export function durationMs(duration: string): number {
  const m = DURATION_PATTERN.exec(duration);
  if (!m) throw new Error(`malformed duration "${duration}"`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}
