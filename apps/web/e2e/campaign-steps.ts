// Steps the campaign specs share: the review workspace's viewer, a box drawn on it with the keyboard's
// rectangle tool, and a fresh signed-in browser context per person.
import { type Browser, type Page } from "@playwright/test";
import { signIn } from "./session";

export const viewer = (page: Page) => page.getByTestId("viewer");

/** Draws a rectangle between two points given as fractions of the viewer's size. */
export async function drawBox(page: Page, [x0, y0, x1, y1]: [number, number, number, number]) {
  const box = await viewer(page).boundingBox();
  if (!box) throw new Error("viewer not laid out");
  const at = (fx: number, fy: number) => ({ x: box.x + box.width * fx, y: box.y + box.height * fy });
  await page.keyboard.press("r");
  await page.mouse.move(at(x0, y0).x, at(x0, y0).y);
  await page.mouse.down();
  await page.mouse.move(at(x1, y1).x, at(x1, y1).y, { steps: 5 });
  await page.mouse.up();
}

/** A page in its own browser context, signed in with an e-mail and password (e.g. a password shown once). */
export async function signedInPage(
  browser: Browser,
  baseURL: string | undefined,
  email: string,
  password: string,
) {
  const page = await (await browser.newContext({ baseURL })).newPage();
  await page.goto("/signin");
  await signIn(page, email, password);
  return page;
}
