import { LocalTime } from "@/app/_components/local-time";
import type { NewDeviceNotice } from "@/lib/monitor/new-device-notices";
import { reviewNewDeviceAction } from "./actions";

export function NewDeviceNotices({ notices }: { notices: NewDeviceNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <section aria-labelledby="new-device-title" className="space-y-3">
      <h2 id="new-device-title" className="sr-only">
        New sign-ins
      </h2>
      {notices.map((notice) => (
        <div
          key={notice.ref}
          role="alert"
          data-testid="new-device-notice"
          className="card flex flex-wrap items-center justify-between gap-3 border border-amber-300 p-4"
        >
          <p className="text-amber-900">
            <strong>New sign-in:</strong> {notice.label}, <LocalTime iso={notice.at} />
          </p>
          <form action={reviewNewDeviceAction} className="flex gap-2">
            <input type="hidden" name="ref" value={notice.ref} />
            <button type="submit" name="verdict" value="mine" className="btn btn-secondary px-3 py-1.5 text-sm">
              That was me
            </button>
            <button type="submit" name="verdict" value="not_me" className="btn bg-red-700 px-3 py-1.5 text-sm text-white hover:bg-red-800">
              This wasn’t me
            </button>
          </form>
        </div>
      ))}
    </section>
  );
}
