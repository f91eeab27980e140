import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import {
  DomainError,
  httpStatusOf,
  loadActiveAccount,
  lockKey,
  requireActiveAccount,
  withAdvisoryLock,
  type AccountReader,
} from "../src";
import { rethrowDomainErrors } from "../src/trpc";

describe("DomainError", () => {
  it("maps to the tRPC error of the same code and message, and leaves other failures alone", () => {
    const cause = new DomainError("CONFLICT", "Someone else decided.");
    try {
      rethrowDomainErrors({ ok: false, error: { cause } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TRPCError);
      expect((e as TRPCError).code).toBe("CONFLICT");
      expect((e as TRPCError).message).toBe("Someone else decided.");
    }
    const other = { ok: false, error: { cause: new Error("boom") } };
    expect(rethrowDomainErrors(other)).toBe(other);
  });

  it("has an HTTP status for route handlers", () => {
    expect(httpStatusOf("NOT_FOUND")).toBe(404);
    expect(httpStatusOf("TOO_MANY_REQUESTS")).toBe(429);
    expect(httpStatusOf("UNSUPPORTED_MEDIA_TYPE")).toBe(415);
  });
});

describe("withAdvisoryLock", () => {
  it("takes a transaction lock on the 64-bit hash of the key", async () => {
    const calls: { sql: string; values: unknown[] }[] = [];
    const tx = {
      $executeRaw: (q: TemplateStringsArray, ...values: unknown[]) => {
        calls.push({ sql: q.join("?"), values });
        return Promise.resolve(1);
      },
    };
    await withAdvisoryLock(tx, lockKey("review", "img1"));
    expect(calls).toEqual([
      { sql: "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", values: ["review:img1"] },
    ]);
  });
});

describe("loadActiveAccount", () => {
  const rows = {
    a: { id: "a", email: "a@x", name: "A", role: "RADIOLOGIST" as const, active: true },
    b: { id: "b", email: "b@x", name: "B", role: "ADMIN" as const, active: false },
  };
  const db: AccountReader = {
    user: { findUnique: ({ where }) => Promise.resolve(rows[where.id as keyof typeof rows] ?? null) },
  };

  it("returns an active account without its flag, and null for an inactive or unknown one", async () => {
    expect(await loadActiveAccount(db, "a")).toEqual({
      id: "a",
      email: "a@x",
      name: "A",
      role: "RADIOLOGIST",
    });
    expect(await loadActiveAccount(db, "b")).toBeNull();
    expect(await loadActiveAccount(db, "zz")).toBeNull();
  });

  it("requireActiveAccount refuses the signed-out, the inactive and the wrong role", async () => {
    await expect(requireActiveAccount(db, null)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(requireActiveAccount(db, "b")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(requireActiveAccount(db, "a", ["ADMIN"])).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await requireActiveAccount(db, "a", ["ADMIN", "RADIOLOGIST"])).id).toBe("a");
  });
});
