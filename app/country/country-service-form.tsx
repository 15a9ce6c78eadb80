"use client";

import { useActionState, useId, useMemo, useState } from "react";
import type { Country } from "@/lib/chat/countries";
import { SERVICE_TYPES } from "@/lib/chat/services";
import { startChatAction, type StartChatState } from "./actions";

export function CountryServiceForm({
  countries,
  initial,
}: {
  countries: readonly Country[];
  initial: { country: string; serviceType: string };
}) {
  const [state, formAction, pending] = useActionState<StartChatState, FormData>(startChatAction, {});
  const [query, setQuery] = useState("");
  const [country, setCountry] = useState(state.values?.country ?? initial.country);
  const searchId = useId();
  const visible = useMemo(() => {
    const q = query.trim().toLowerCase();
    const matches = q ? countries.filter((c) => c.name.toLowerCase().includes(q) || c.code.toLowerCase() === q) : countries;
    // Keep the chosen country in the list so the selection never silently disappears.
    const chosen = countries.find((c) => c.code === country);
    return chosen && !matches.includes(chosen) ? [chosen, ...matches] : matches;
  }, [countries, query, country]);
  const countryError = state.fieldErrors?.country?.[0];
  const serviceError = state.fieldErrors?.serviceType?.[0];
  const serviceDefault = state.values?.serviceType ?? initial.serviceType;

  return (
    <form action={formAction} className="space-y-8" noValidate>
      <div aria-live="polite" aria-atomic="true">
        {state.message ? (
          <p className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800" data-testid="start-chat-error">
            {state.message}
          </p>
        ) : null}
      </div>

      <fieldset className="space-y-3">
        <legend className="text-lg font-bold text-brand-deep">1. Country</legend>
        <label htmlFor={searchId} className="block text-sm font-semibold text-slate-700">
          Search countries
        </label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            // Enter picks the first match instead of submitting half a choice.
            if (e.key === "Enter") {
              e.preventDefault();
              if (visible[0]) setCountry(visible[0].code);
            }
          }}
          placeholder="e.g. United Arab Emirates"
          autoComplete="off"
          aria-controls="country"
          className="w-full rounded-lg border border-slate-300 px-3 py-2.5 focus:border-brand"
        />
        <label htmlFor="country" className="block text-sm font-semibold text-slate-700">
          Country <span className="font-normal text-slate-500">({visible.length} shown)</span>
        </label>
        <select
          id="country"
          name="country"
          size={8}
          required
          value={country}
          onChange={(e) => setCountry(e.target.value)}
          aria-invalid={countryError ? true : undefined}
          aria-describedby={countryError ? "country-error" : undefined}
          className="w-full rounded-lg border border-slate-300 p-1 focus:border-brand"
        >
          {visible.map((c) => (
            <option key={c.code} value={c.code} className="rounded px-2 py-1 checked:bg-brand-strong checked:text-white">
              {c.name}
            </option>
          ))}
        </select>
        {visible.length === 0 ? <p className="text-sm text-slate-600">No country matches “{query}”.</p> : null}
        {countryError ? (
          <p id="country-error" className="text-sm text-red-700">
            {countryError}
          </p>
        ) : null}
      </fieldset>

      <fieldset aria-describedby={serviceError ? "service-error" : undefined}>
        <legend className="text-lg font-bold text-brand-deep">2. Service</legend>
        <div className="mt-3 grid gap-3 sm:grid-cols-2">
          {SERVICE_TYPES.map((service) => (
            <label
              key={service.id}
              className="flex cursor-pointer gap-3 rounded-xl border border-slate-200 bg-white p-4 transition has-checked:border-brand has-checked:ring-2 has-checked:ring-brand/30 hover:border-brand"
            >
              <input
                type="radio"
                name="serviceType"
                value={service.id}
                defaultChecked={serviceDefault === service.id}
                className="mt-1 size-4 accent-brand"
              />
              <span>
                <span className="block font-semibold text-brand-deep">{service.label}</span>
                <span className="block text-sm text-slate-600">{service.description}</span>
              </span>
            </label>
          ))}
        </div>
        {serviceError ? (
          <p id="service-error" className="mt-2 text-sm text-red-700">
            {serviceError}
          </p>
        ) : null}
      </fieldset>

      <button type="submit" disabled={pending} className="btn btn-primary w-full sm:w-auto">
        {pending ? "Starting…" : "Start chat"}
      </button>
    </form>
  );
}
