// The replica's model slots: how many predict batches run at once. A job that arrives just as a running one
// ends must not slip in beside the waiter that is handed the freed slot.
import { describe, expect, it } from "vitest";
import { createModelSlots } from "../src/queue/model-slots";

/** Resolves after `n` turns of the microtask queue. */
async function microtasks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

/** Counts the tasks running at once through the slots, and the most ever seen. */
function probe() {
  const state = { running: 0, peak: 0, order: [] as string[] };
  const task = (name: string, until: Promise<void>) => async () => {
    state.running++;
    state.peak = Math.max(state.peak, state.running);
    state.order.push(name);
    await until;
    state.running--;
    return name;
  };
  return { state, task };
}

describe("model slots", () => {
  it("never runs more than their size, also when a task arrives while a waiter is handed the slot", async () => {
    // the arriving task lands at each microtask turn after the running one is released, so one of them falls
    // between the slot being freed and the waiter taking it
    for (let turn = 0; turn <= 12; turn++) {
      const slots = createModelSlots(1);
      const { state, task } = probe();
      let release!: () => void;
      const first = slots(task("first", new Promise<void>((resolve) => (release = resolve))));
      const waiter = slots(task("waiter", microtasks(3)));
      release();
      await microtasks(turn);
      const late = slots(task("late", Promise.resolve()));
      expect(await Promise.all([first, waiter, late])).toEqual(["first", "waiter", "late"]);
      expect(state.peak, `late task after ${turn} microtask turns`).toBe(1);
      // first come, first served: the waiter goes before the late arrival
      expect(state.order, `late task after ${turn} microtask turns`).toEqual(["first", "waiter", "late"]);
    }
  });

  it("runs up to their size at once and passes results and errors through", async () => {
    const slots = createModelSlots(3);
    const { state, task } = probe();
    const results = Array.from({ length: 10 }, (_, i) =>
      slots(task(`job${i}`, new Promise<void>((resolve) => setTimeout(resolve, 5 + (i % 3) * 3)))),
    );
    expect(await Promise.all(results)).toEqual(Array.from({ length: 10 }, (_, i) => `job${i}`));
    expect(state.peak).toBe(3);
    await expect(slots(() => Promise.reject(new Error("model failed")))).rejects.toThrow("model failed");
    // a failed task frees its slot
    await expect(slots(() => Promise.resolve("after"))).resolves.toBe("after");
  });
});
