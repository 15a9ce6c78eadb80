// Tests import server modules directly; `server-only` would throw outside React Server Components.
export {};
