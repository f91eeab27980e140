// The public API of @cxr/ingest's root: what the inference service's demo seed and benchmark use to store
// images. The web app imports narrower subpaths (`./upload`, `./jobs`, `./junk-paths`) so it does not load
// the data-set importers. The CLI (`npm run ingest`) is src/cli.ts.
export { storeImage } from "./store-image";
export { loadLabelSet } from "./labels";
