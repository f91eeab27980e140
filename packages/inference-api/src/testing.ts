// For the tests of the contract and of the services behind it: what a failed call failed with.
import { TRPCClientError } from "@trpc/client";
import { type InferenceRouter } from "./router/root";

/** Runs a client call expected to fail and returns the tRPC error it failed with. */
export async function failure(call: Promise<unknown>): Promise<TRPCClientError<InferenceRouter>> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError))
    throw new Error(`expected a TRPCClientError, got ${String(error)}`);
  return error as TRPCClientError<InferenceRouter>;
}
