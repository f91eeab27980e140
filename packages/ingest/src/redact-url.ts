// Credentials in a PACS URL (`https://user:pass@host/dicom-web`) are a secret: they travel as an
// Authorization header and are never stored (job sourceRef, item messages, job errors) or printed. Imports
// nothing, so the web app uses it too.

// scheme://userinfo@ up to the authority's last "@" (a password may hold an unencoded "@")
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/** The text with `user:pass@` removed from every URL in it (a URL alone, or an error message quoting one). */
export function redactUrl(text: string): string {
  return text.replace(USERINFO, "$1");
}

/** Splits `user:pass@` off a URL into a Basic Authorization header (RFC 7617). */
export function credentialsFromUrl(value: string): { url: string; authorization?: string } {
  const url = new URL(value);
  if (!url.username && !url.password) return { url: value };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  return {
    url: url.toString(),
    authorization: `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`,
  };
}
