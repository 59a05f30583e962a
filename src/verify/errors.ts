/** Why `verify` cannot compare at all; the command prints the message on one line and exits 2. */
export class VerifyError extends Error {
  override name = "VerifyError";
}

/** An API that refused a call (missing permissions, bad credentials) or could not be reached. */
export class AccessError extends VerifyError {
  override name = "AccessError";

  /** `refused`: the API answered no (401, 403, UnauthorizedOperation); false when it could not be reached or failed. */
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
  }
}
