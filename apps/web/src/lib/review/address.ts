// Ids read from a page's address: cuids; anything else is ignored rather than sent to the API.
export const idOrNull = (value: string | string[] | undefined): string | null =>
  typeof value === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;
