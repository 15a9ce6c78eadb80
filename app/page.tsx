import Link from "next/link";
import { getOptionalUser } from "@/lib/sessions/dal";

export default async function HomePage() {
  const user = await getOptionalUser();
  return (
    <section className="card mx-auto mt-10 max-w-3xl p-8 text-center sm:p-12">
      <h1 className="text-3xl font-bold text-brand-deep sm:text-4xl">Your guide to doing business anywhere</h1>
      <p className="mx-auto mt-4 max-w-xl text-slate-600">
        Choose a country and a service — tax, company formation, banking, visas and more — and talk it through with the Growbal assistant.
        Your conversations are kept safe in sessions you control.
      </p>
      <div className="mt-8 flex flex-wrap justify-center gap-3">
        <Link href="/country" className="btn btn-primary">
          Start a chat
        </Link>
        {user ? (
          <Link href="/dashboard" className="btn btn-secondary">
            Go to your dashboard
          </Link>
        ) : (
          <Link href="/login" className="btn btn-secondary">
            Sign in
          </Link>
        )}
      </div>
    </section>
  );
}
