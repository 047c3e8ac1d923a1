/** An error whose message is meant for the user as it is, with the exit code to leave with. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
