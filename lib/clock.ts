/** The app's clock. One place to read "now", so policies and tests agree on time. */
export function now(): Date {
  return new Date();
}
