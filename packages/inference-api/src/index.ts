// @cxr/inference-api: the inference service's contract. Input schemas, output schemas and types, the functions
// the service implements (InferenceHandlers), the router's type and the wire constants. The router itself is in
// `./server`, the client in `./client`.
export * from "./contract/backbones";
export * from "./contract/handlers";
export * from "./contract/model-metrics";
export * from "./contract/models";
export * from "./contract/predictions";
export * from "./contract/system";
export * from "./contract/training";
export * from "./contract/training-plan";
export type { InferenceRouter } from "./router/root";
export { trpcPath } from "./wire";
