// The repository's rules plus Next.js's own (core web vitals).
import nextPlugin from "@next/eslint-plugin-next";
import root from "../../eslint.config.mjs";

export default [
  ...root,
  nextPlugin.configs["core-web-vitals"],
  {
    settings: { next: { rootDir: import.meta.dirname } },
  },
];
