/** Joins class names, skipping falsy ones (keeps components free of a classnames dependency). */
export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(" ");
}
