/** A test-control request refused, with the HTTP status the control surface answers it with and the reason. */
export class ControlError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}
