// One row per epoch, with the same keys as Keras' History so the report's plots carry over.
import { z } from "zod";

export const epochRecordSchema = z.object({
  epoch: z.number().int().positive(),
  loss: z.number(),
  accuracy: z.number(),
  val_loss: z.number().nullable(),
  val_accuracy: z.number().nullable(),
  learning_rate: z.number(),
  seconds: z.number(),
});
export type EpochRecord = z.infer<typeof epochRecordSchema>;
export const historySchema = z.array(epochRecordSchema);
