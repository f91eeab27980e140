// Transaction-scoped PostgreSQL advisory locks: one way to serialise work on one thing (a case's decision,
// a reader's draft, a label set's champion) across processes and replicas. The lock is held until the
// transaction ends. Keys are hashed with hashtextextended (64 bits) so unrelated keys rarely share a lock.

/** Anything that can run a tagged SQL template inside a transaction (Prisma's transaction client). */
export interface RawExecutor {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
}

/** `scope:id[:id...]`, so the lock of one kind of thing never collides by name with another kind's. */
export function lockKey(scope: string, ...ids: string[]): string {
  return [scope, ...ids].join(":");
}

/** Waits for the transaction's advisory lock on `key`; released when the transaction commits or rolls back. */
export async function withAdvisoryLock(tx: RawExecutor, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}
