// @cxr/domain: the contracts every layer shares. No runtime dependency on tfjs, Prisma's client or React.
export * from "./account";
export * from "./advisory-lock";
export * from "./batch-priority";
export * from "./enums";
export * from "./errors";
export * from "./ids";
export * from "./queue-priority";
export * from "./selection";
export * from "./roi";
export * from "./uncertainty";
