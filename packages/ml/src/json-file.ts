// Reading a JSON file with one-line errors: the caller's words when it cannot be read, "<path> is not JSON" when
// it does not parse. What the value must be is the caller's schema.
import { readFile } from "node:fs/promises";

export async function readJsonFile(path: string, unreadable: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new Error(unreadable);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${path} is not JSON`);
  }
}
