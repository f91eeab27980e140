// Reading a JSON file with a readable error for each way it can fail (the schema check stays with the caller).
import { readFile } from "node:fs/promises";

/** The parsed contents of `path`; `unreadable` is the message when the file cannot be read. */
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
