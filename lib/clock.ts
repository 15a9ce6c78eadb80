/**
 * The app's clock. Request code reads time through `requestTime` so that end-to-end tests can move the server's
 * clock per request (header `x-growbal-test-now`, epoch ms). It only counts when config's `testClock` is on:
 * ENABLE_TEST_CLOCK under NODE_ENV=test on a localhost origin, never in production. Edge-safe.
 */
export const TEST_CLOCK_HEADER = "x-growbal-test-now";

export function requestTime(headers: Headers, testClockEnabled: boolean): Date {
  if (testClockEnabled) {
    const value = headers.get(TEST_CLOCK_HEADER);
    if (value && /^\d{13}$/.test(value)) return new Date(Number(value));
  }
  return new Date();
}
