export { createStorage } from "./create";
export { LocalStorage } from "./local";
export { ObjectCorruptError, ObjectNotFoundError, type ObjectStorage, type PutResult } from "./types";
export { sha256Hex } from "./hash";
export { loadStorageEnv, storageEnvSchema, type StorageEnv } from "./env";
export { decodeChunk, encodeChunk } from "./embedding-chunk";
