// The data-set layouts the importer reads (kept apart from the importers, which need the database, so the
// CLI's usage text loads without it).
export const datasetFormats = ["cohen", "kermany", "radiography-db", "folder"] as const;
export type DatasetFormat = (typeof datasetFormats)[number];
