// The review API's shapes as the browser receives them (inferred, so the client never imports server code).
import { type inferRouterInputs, type inferRouterOutputs } from "@trpc/server";
import { type AppRouter } from "~/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>["review"];
type Inputs = inferRouterInputs<AppRouter>["review"];

export type CaseData = Outputs["case"];
export type QueueData = Outputs["queue"];
export type QueueInput = Inputs["queue"];
export type QueueFilters = Omit<QueueInput, "limit">;
export type SubmitInput = Inputs["submit"];
export type CaseClass = CaseData["classes"][number];
