// The work item shared by every file-based importer: read, prepare (validate + decode), store.
import { prepareImageFrames, type ImageToStore } from "@cxr/imaging";
import type { IngestContext } from "./context";
import { MissingFileError, readBounded } from "./files";
import type { ItemResult } from "./jobs";
import type { WorkItem } from "./runner";
import { storeImage, type StoreRequest } from "./store-image";

/** What to store, with a note for the item's report (a value kept as text, ...). */
export type Described = Omit<StoreRequest, "prepared"> & { note?: string };

/** What to store for a prepared image, or an outcome without storing (filtered, unknown finding, ...). */
export type Describe = (prepared: ImageToStore) => Described | ItemResult | Promise<Described | ItemResult>;

export function fileItem(ctx: IngestContext, key: string, file: string, describe: Describe): WorkItem {
  return {
    key,
    async run(record) {
      let bytes: Buffer;
      try {
        bytes = await readBounded(file, ctx.limits);
      } catch (error) {
        if (error instanceof MissingFileError)
          return { status: "SKIPPED", reason: "MISSING_FILE", message: error.message };
        throw error;
      }
      // a multi-frame object's frames are decoded one at a time while they are stored
      const prepared = await prepareImageFrames(bytes, file, {
        limits: ctx.limits,
        deidentify: ctx.deidentify,
        frame: ctx.frame,
      });
      try {
        const described = await describe(prepared);
        if ("status" in described) return described;
        const { note, ...request } = described;
        // an imported item with a note is recorded with it (reason INVALID_METADATA), so the report lists it
        const noted = note ? { reason: "INVALID_METADATA" as const, message: note } : {};
        const outcome = await storeImage(ctx, { prepared, ...request }, (tx, o) =>
          record(tx, { ...o, ...noted }),
        );
        return { status: outcome.status, imageIds: outcome.imageIds, ...noted };
      } finally {
        await prepared.close();
      }
    },
  };
}

/** An item settled without touching any file (a CSV row filtered out, an unknown finding). */
export function settledItem(key: string, result: ItemResult): WorkItem {
  return { key, run: async () => result };
}
