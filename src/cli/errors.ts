/** A problem with the command line or its inputs; the message is shown as it is, on one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
