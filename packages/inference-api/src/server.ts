// @cxr/inference-api/server: what the inference service mounts on its HTTP server.
export { createContextFactory, type ContextOptions } from "./context";
export { inferenceRouter } from "./router/root";
export { createCallerFactory, type InferenceContext } from "./trpc";
