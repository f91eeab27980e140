// The client's network address for the per-address sign-in limit. `next start` sets X-Forwarded-For to the
// peer's address when the request has none; a reverse proxy in front appends the address it saw. So the last
// entry is the nearest hop's view of the client: right behind one appending proxy, or with none, that is the
// client (with no proxy a client could send its own header: the per-account limit still holds then).
export function clientAddress(headers: Headers | Record<string, unknown> | undefined): string | null {
  if (!headers) return null;
  const get = (name: string): string | null => {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    if (Array.isArray(value)) return value.join(",");
    return typeof value === "string" ? value : null;
  };
  const forwarded = get("x-forwarded-for")
    ?.split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const address = forwarded?.at(-1) ?? get("x-real-ip")?.trim() ?? null;
  // a sane length for an IPv6 address with zone; anything else is not an address
  return address && address.length <= 64 ? address.replace(/^::ffff:/, "") : null;
}
