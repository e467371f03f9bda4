/** A message that could not be processed, kept with its reason on `deadletter.<origin>`. */
import { z } from "zod";
import { ErrorDetailSchema } from "./http-error.js";
import { IsoTimestampSchema } from "./price.js";

export const DeadLetterSchema = z.strictObject({
  /** which consumer gave up on it, e.g. "evaluator" */
  origin: z.string().min(1),
  subject: z.string().min(1),
  stream: z.string().optional(),
  streamSeq: z.int().min(0).optional(),
  reason: z.string().min(1),
  details: z.array(ErrorDetailSchema).optional(),
  /** the original payload, as UTF-8 text (or base64 when it was not valid UTF-8) */
  payload: z.string(),
  encoding: z.enum(["utf8", "base64"]),
  at: IsoTimestampSchema,
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
