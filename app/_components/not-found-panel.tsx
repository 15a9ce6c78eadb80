import Link from "next/link";

/** The one 404 look: what could not be found, why that may be, and ways back. */
export function NotFoundPanel({ title, explanation }: { title: string; explanation: string }) {
  return (
    <section className="mx-auto mt-16 max-w-lg rounded-2xl bg-white p-8 text-center shadow-sm" data-testid="not-found">
      <h1 className="text-2xl font-bold text-brand-deep">{title}</h1>
      <p className="mt-3 text-slate-700">{explanation}</p>
      <div className="mt-6 flex justify-center gap-3">
        <Link href="/dashboard" className="btn btn-primary">
          Dashboard
        </Link>
        <Link href="/" className="btn btn-secondary">
          Home
        </Link>
      </div>
    </section>
  );
}
