// This replica's model slots: predict and explain batches share them, so at most `size` model executions run at
// once; further batches wait in arrival order (their jobs stay fetched, not re-queued).
import pLimit, { type LimitFunction } from "p-limit";

export const createModelSlots = (size: number): LimitFunction => pLimit(size);
