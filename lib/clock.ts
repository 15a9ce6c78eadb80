/**
 * The app's clock. Request code reads time through `requestTime` so that end-to-end tests can move the server's
 * clock per request (header `x-growbal-test-now`, epoch ms), which only counts when ENABLE_TEST_CLOCK is on — and
 * config refuses that anywhere but localhost. Edge-safe.
 */
export const TEST_CLOCK_HEADER = "x-growbal-test-now";

export function requestTime(headers: Headers, testClockEnabled: boolean): Date {
  if (testClockEnabled) {
    const value = headers.get(TEST_CLOCK_HEADER);
    if (value && /^\d{13}$/.test(value)) return new Date(Number(value));
  }
  return new Date();
}
