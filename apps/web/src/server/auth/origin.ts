// Cross-site request refusal for the route handlers that change state outside tRPC (the upload). A browser
// names the page that sent a POST in Origin (and says "cross-site" in Sec-Fetch-Site): a form or script on
// another site that posts here with the reader's cookie is refused. A request without either header does not
// come from a browser page, so it carries no one else's cookie by accident (the session check still applies).

/** The host the request was sent to, as the browser saw it (behind a proxy: the forwarded host). */
function requestHost(request: Request): string | null {
  return request.headers.get("x-forwarded-host") ?? request.headers.get("host");
}

/**
 * Whether the request may be a same-origin one: no browser says otherwise. `publicUrl` (NEXTAUTH_URL) is the
 * origin browsers use, when configured.
 */
export function isSameOriginRequest(request: Request, publicUrl?: string): boolean {
  if (request.headers.get("sec-fetch-site") === "cross-site") return false;
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  let host: string;
  try {
    // "null" (a sandboxed or privacy-sensitive context) is not a URL: refused
    host = new URL(origin).host;
  } catch {
    return false;
  }
  if (publicUrl && new URL(publicUrl).host === host) return true;
  return host === requestHost(request);
}
