// Shared by the server (folder walks, zip members) and the browser's upload precheck (dropped folders), so
// both skip the same clutter: it imports nothing, and is safe in a browser bundle.

/** Folders and files that operating systems and archivers add and that are never images. */
export function isJunkPath(path: string): boolean {
  return path
    .split("/")
    .some(
      (part) => part === "__MACOSX" || part.startsWith(".") || part === "Thumbs.db" || part === "desktop.ini",
    );
}
