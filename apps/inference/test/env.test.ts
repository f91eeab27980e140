import { describe, expect, it } from "vitest";
import { loadEnv } from "../src/env";

const token = "0123456789abcdef";

describe("loadEnv", () => {
  it("applies defaults", () => {
    expect(loadEnv({ INFERENCE_TOKEN: token })).toEqual({
      INFERENCE_TOKEN: token,
      INFERENCE_PORT: 4000,
      INFERENCE_HOST: "127.0.0.1",
      ML_BACKEND: "auto",
      ML_ONNX: "auto",
      MODELS_DIR: "./data/models",
      INFERENCE_CONCURRENCY: 1,
      PREDICT_BATCH_SIZE: 8,
      JOB_TIMEOUT_SECONDS: 300,
      QUEUE_MAINTENANCE_SECONDS: 30,
      QUEUE_POLLING_SECONDS: 2,
      PREDICT_WAIT_SECONDS: 120,
      TRAINING_STALE_SECONDS: 120,
      BALD_SAMPLES: 10,
      PROMOTION_GATE: {
        criticalClass: "covid-19",
        maxSensitivityDrop: 0,
        maxMacroF1Drop: 0,
        maxEceIncrease: 0,
        minAccuracy: 0,
      },
      DEMO: "off",
    });
  });

  it("reads the promotion gate from JSON and refuses a bad one", () => {
    const env = loadEnv({
      INFERENCE_TOKEN: token,
      PROMOTION_GATE: '{"criticalClass":"pneumonia","maxMacroF1Drop":0.02}',
    });
    expect(env.PROMOTION_GATE).toMatchObject({
      criticalClass: "pneumonia",
      maxMacroF1Drop: 0.02,
      maxEceIncrease: 0,
    });
    expect(() => loadEnv({ INFERENCE_TOKEN: token, PROMOTION_GATE: "{oops" })).toThrow(
      /PROMOTION_GATE: not a valid gate/,
    );
    expect(() => loadEnv({ INFERENCE_TOKEN: token, PROMOTION_GATE: '{"maxEceIncrease":2}' })).toThrow(
      /PROMOTION_GATE/,
    );
  });

  it("parses explicit values, port 0 included", () => {
    const env = loadEnv({
      INFERENCE_TOKEN: token,
      INFERENCE_PORT: "0",
      ML_BACKEND: "wasm",
      ML_ONNX: "off",
      DATABASE_URL: "postgresql://u@localhost/db",
    });
    expect(env).toMatchObject({
      INFERENCE_PORT: 0,
      ML_BACKEND: "wasm",
      ML_ONNX: "off",
      DATABASE_URL: "postgresql://u@localhost/db",
    });
  });

  it("rejects a short or missing token with a readable one-line message", () => {
    for (const source of [{ INFERENCE_TOKEN: "short" }, {}, { INFERENCE_TOKEN: "" }]) {
      expect(() => loadEnv(source)).toThrow(
        /^Invalid environment: INFERENCE_TOKEN must be set to a secret of at least 16 characters/,
      );
    }
  });

  it("names each bad variable", () => {
    let message = "";
    try {
      loadEnv({ INFERENCE_TOKEN: token, INFERENCE_PORT: "70000", ML_BACKEND: "gpu" });
    } catch (error) {
      message = error instanceof Error ? error.message : "";
    }
    expect(message).toMatch(/INFERENCE_PORT: /);
    expect(message).toMatch(/ML_BACKEND: /);
    expect(message).not.toContain("\n");
  });
});
