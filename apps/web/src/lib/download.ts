// Saves text the server produced (a CSV report) as a file in the browser.
export function saveCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: filename });
  a.click();
  URL.revokeObjectURL(url);
}

/** Fetches a CSV report ({ filename, csv }) and saves it. */
export async function downloadCsv(fetch: () => Promise<{ filename: string; csv: string }>): Promise<void> {
  const { filename, csv } = await fetch();
  saveCsv(filename, csv);
}
