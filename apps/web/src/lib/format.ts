// Server-rendered dates in one fixed zone, so the same page reads the same for everyone (and no hydration
// mismatch appears when a client component shows one).
const dateTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

export function formatDateTime(date: Date | null | undefined): string {
  return date ? `${dateTime.format(date)} UTC` : "Never";
}
