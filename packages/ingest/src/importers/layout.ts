/** The folder the user pointed at is not the data set's layout: nothing is imported, no job is created. */
export class DatasetLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatasetLayoutError";
  }
}
