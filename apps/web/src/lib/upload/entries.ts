// Turning a drop into files with their folder paths. Dropped folders are walked through the File and
// Directory Entries API (`webkitGetAsEntry`), the only way a drop exposes a folder's contents.

export interface PickedFile {
  file: File;
  /** relative path: "chest.png", or "study/series/1.dcm" for a file inside a dropped or picked folder */
  path: string;
}

// The parts of the entries API used here (TypeScript's DOM types name them FileSystem*Entry).
interface FileEntryLike {
  isFile: true;
  isDirectory: false;
  fullPath: string;
  file(success: (file: File) => void, failure?: (error: unknown) => void): void;
}
interface DirectoryEntryLike {
  isFile: false;
  isDirectory: true;
  fullPath: string;
  createReader(): {
    readEntries(success: (entries: EntryLike[]) => void, failure?: (error: unknown) => void): void;
  };
}
export type EntryLike = FileEntryLike | DirectoryEntryLike;

export interface DropItemLike {
  kind: string;
  webkitGetAsEntry?: () => unknown;
  getAsFile(): File | null;
}

const relative = (fullPath: string) => fullPath.replace(/^\/+/, "");

function fileOf(entry: FileEntryLike): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function readAll(entry: DirectoryEntryLike): Promise<EntryLike[]> {
  const reader = entry.createReader();
  const all: EntryLike[] = [];
  // readEntries answers in batches (about 100 in Chromium) until it returns an empty one
  for (;;) {
    const batch = await new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

export async function walkEntry(entry: EntryLike, out: PickedFile[] = []): Promise<PickedFile[]> {
  if (entry.isFile) {
    out.push({ file: await fileOf(entry), path: relative(entry.fullPath) });
    return out;
  }
  for (const child of await readAll(entry)) await walkEntry(child, out);
  return out;
}

/**
 * Every file of a drop, folders walked recursively. The entries are taken synchronously first: the browser
 * empties the DataTransfer once the drop handler returns.
 */
export async function filesFromDrop(items: ArrayLike<DropItemLike>): Promise<PickedFile[]> {
  const roots: (EntryLike | File)[] = [];
  for (const item of Array.from(items)) {
    if (item.kind !== "file") continue;
    const entry = item.webkitGetAsEntry?.() as EntryLike | null | undefined;
    const file = entry ? null : item.getAsFile();
    if (entry) roots.push(entry);
    else if (file) roots.push(file);
  }
  const out: PickedFile[] = [];
  for (const root of roots) {
    if (root instanceof File) out.push({ file: root, path: root.name });
    else await walkEntry(root, out);
  }
  return out;
}

/** Files from an <input type="file">, with `webkitRelativePath` when a folder was picked. */
export function filesFromInput(files: ArrayLike<File>): PickedFile[] {
  return Array.from(files, (file) => ({ file, path: file.webkitRelativePath || file.name }));
}
