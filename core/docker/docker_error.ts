/** Base class of every error `core/docker` throws for a Docker call that did not succeed. */
export class DockerError extends Error {
  /**
   * @param message What failed, e.g. `Cannot inspect container: ...`.
   * @param options Standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DockerError";
  }
}
