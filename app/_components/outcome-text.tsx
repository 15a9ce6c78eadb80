import Link from "next/link";

/** An action's outcome line; when the server asked for a recent sign-in, a link to confirm the password and return. */
export function OutcomeText({ text, ok = false, reauthNext }: { text: string; ok?: boolean; reauthNext?: string | null }) {
  return (
    <p className={`text-sm ${ok ? "text-emerald-800" : "text-red-700"}`}>
      {text}{" "}
      {reauthNext ? (
        <Link href={`/reauth?next=${encodeURIComponent(reauthNext)}`} className="font-semibold underline">
          Confirm password
        </Link>
      ) : null}
    </p>
  );
}
