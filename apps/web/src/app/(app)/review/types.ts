// The review API's shapes as the browser receives them (inferred, so the client never imports server code).
import { type inferRouterInputs, type inferRouterOutputs } from "@trpc/server";
import { type AppRouter } from "~/server/api/root";

export type CaseData = inferRouterOutputs<AppRouter>["review"]["case"];
export type QueueData = inferRouterOutputs<AppRouter>["review"]["queue"];
export type QueueInput = inferRouterInputs<AppRouter>["review"]["queue"];
export type CaseClass = CaseData["classes"][number];
