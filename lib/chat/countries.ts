import countries from "i18n-iso-countries";
import english from "i18n-iso-countries/langs/en.json";

/** ISO 3166-1 countries from i18n-iso-countries (maintained), English names, sorted by name. */
countries.registerLocale(english);

export type Country = { code: string; name: string };

const names = countries.getNames("en", { select: "official" });

export const COUNTRIES: readonly Country[] = Object.entries(names)
  .map(([code, name]) => ({ code, name }))
  .sort((a, b) => a.name.localeCompare(b.name, "en"));

const byCode = new Map(COUNTRIES.map((c) => [c.code, c.name]));

export function isCountryCode(code: string): boolean {
  return byCode.has(code);
}

/** "United Arab Emirates" for "AE"; the code itself for anything unknown. */
export function countryName(code: string): string {
  return byCode.get(code) ?? code;
}
