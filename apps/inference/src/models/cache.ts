// Loaded models, keyed by model version: each is loaded once (its checksum verified), shared by concurrent
// jobs, and kept while in use. Champions are pinned so they stay warm.
import type { Db } from "@cxr/db";
import type { LoadedModel, MlEngine } from "../engine/types";

interface Entry {
  loading: Promise<LoadedModel>;
  users: number;
  lastUsed: number;
  evicted: boolean;
}

export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pinned = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly engine: MlEngine,
    private readonly capacity = 3,
  ) {}

  /** Runs `fn` with the model of this version loaded; the model stays loaded until `fn` settles. */
  async use<T>(modelVersionId: string, fn: (model: LoadedModel) => Promise<T>): Promise<T> {
    const entry = this.entry(modelVersionId);
    entry.users++;
    try {
      return await fn(await entry.loading);
    } finally {
      entry.users--;
      entry.lastUsed = Date.now();
      if (entry.evicted && entry.users === 0) void this.dispose(entry);
      this.trim();
    }
  }

  /** Loads and pins the champions (of every label set), unpinning the former ones. */
  async warmChampions(): Promise<string[]> {
    const champions = await this.db.modelVersion.findMany({
      where: { status: "CHAMPION" },
      select: { id: true },
    });
    this.pinned.clear();
    for (const { id } of champions) {
      this.pinned.add(id);
      await this.entry(id).loading;
    }
    this.trim();
    return champions.map((c) => c.id);
  }

  loadedIds(): string[] {
    return [...this.entries.keys()];
  }

  async close(): Promise<void> {
    for (const [id, entry] of this.entries) {
      this.entries.delete(id);
      await this.dispose(entry);
    }
  }

  private entry(id: string): Entry {
    let entry = this.entries.get(id);
    if (!entry) {
      const loading = this.load(id);
      entry = { loading, users: 0, lastUsed: Date.now(), evicted: false };
      this.entries.set(id, entry);
      // a failed load must not stay cached: the next call retries (e.g. after the folder is restored)
      loading.catch(() => {
        if (this.entries.get(id)?.loading === loading) this.entries.delete(id);
      });
    }
    return entry;
  }

  private async load(id: string): Promise<LoadedModel> {
    const version = await this.db.modelVersion.findUnique({
      where: { id },
      include: { labelSet: { include: { classes: { orderBy: { index: "asc" } } } } },
    });
    if (!version) throw new Error(`model version ${id} does not exist`);
    const model = await this.engine.load(version.storageUri, version.checksum);
    const known = new Set(version.labelSet.classes.map((c) => c.key));
    const registered = version.classKeys.length ? version.classKeys : [...known];
    // outputs are mapped onto the label set by key: every output must be one of its classes, as registered
    if (model.classes.some((c) => !known.has(c)) || model.classes.join("\n") !== registered.join("\n")) {
      model.dispose();
      throw new Error(
        `model version ${id} outputs [${model.classes.join(", ")}]; the registry expects [${registered.join(", ")}]`,
      );
    }
    return model;
  }

  private trim(): void {
    const evictable = [...this.entries.entries()]
      .filter(([id]) => !this.pinned.has(id))
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    let excess = this.entries.size - this.capacity;
    for (const [id, entry] of evictable) {
      if (excess-- <= 0) break;
      this.entries.delete(id);
      entry.evicted = true;
      if (entry.users === 0) void this.dispose(entry);
    }
  }

  private async dispose(entry: Entry): Promise<void> {
    try {
      (await entry.loading).dispose();
    } catch {
      // never loaded: nothing to free
    }
  }
}
