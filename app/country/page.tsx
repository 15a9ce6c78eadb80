import type { Metadata } from "next";
import { COUNTRIES, isCountryCode } from "@/lib/chat/countries";
import { SERVICE_TYPE_IDS } from "@/lib/chat/services";
import { getOptionalUser } from "@/lib/sessions/dal";
import { CountryServiceForm } from "./country-service-form";

export const metadata: Metadata = { title: "Choose a country and service" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CountryPage({ searchParams }: Props) {
  const params = await searchParams;
  const user = await getOptionalUser();
  const country = typeof params.country === "string" && isCountryCode(params.country.toUpperCase()) ? params.country.toUpperCase() : "";
  const service = typeof params.service === "string" && (SERVICE_TYPE_IDS as string[]).includes(params.service) ? params.service : "";
  return (
    <section className="card mx-auto mt-6 max-w-3xl p-6 sm:p-10">
      <h1 className="text-2xl font-bold text-brand-deep sm:text-3xl">Where are you doing business?</h1>
      <p className="mt-2 text-slate-600">
        Pick a country and what you need help with, and the Growbal assistant will take it from there.
        {user ? null : " You can start without an account and sign in later: your chat comes with you."}
      </p>
      <div className="mt-8">
        <CountryServiceForm countries={COUNTRIES} initial={{ country, serviceType: service }} />
      </div>
    </section>
  );
}
