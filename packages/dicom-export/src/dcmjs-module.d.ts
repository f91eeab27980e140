// The narrow part of dcmjs (which ships no types) this package uses: read a Part 10 file, naturalise its
// dataset (keywords as keys), and write a naturalised dataset back as Part 10 bytes.
declare module "dcmjs" {
  /** a dataset with keywords as keys (dcmjs's "naturalized" form); values as dcmjs reads and writes them */
  export type NaturalDataset = Record<string, unknown>;
  interface DicomDictInstance {
    meta: Record<string, unknown>;
    dict: Record<string, unknown>;
    write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
  }
  const dcmjs: {
    data: {
      DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): DicomDictInstance;
      };
      DicomDict: new (meta: Record<string, unknown>) => DicomDictInstance;
      DicomMetaDictionary: {
        naturalizeDataset(dict: Record<string, unknown>): NaturalDataset;
        denaturalizeDataset(dataset: NaturalDataset): Record<string, unknown>;
        uid(): string;
      };
    };
  };
  export default dcmjs;
}
