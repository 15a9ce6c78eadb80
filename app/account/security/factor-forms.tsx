"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { Field, FormMessage, TotpCodeField } from "@/app/_components/form-fields";
import { PasskeyCeremony } from "@/app/_components/passkey-ceremony";
import {
  confirmTotpAction,
  passkeyRegistrationOptionsAction,
  regenerateRecoveryCodesAction,
  registerPasskeyAction,
  removePasskeyAction,
  removeTotpAction,
  renamePasskeyAction,
  type FactorState,
} from "./actions";

/** New recovery codes, shown once: to download or print before going on. */
export function RecoveryCodes({ codes, next }: { codes: string[]; next: string | null }) {
  const file = `Growbal Intelligence recovery codes\nEach code works once.\n\n${codes.join("\n")}\n`;
  return (
    <div
      role="region"
      aria-labelledby="recovery-codes-title"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4"
      data-testid="recovery-codes"
    >
      <h3 id="recovery-codes-title" className="font-bold text-amber-950">
        Save your recovery codes
      </h3>
      <p className="mt-1 text-sm text-amber-950">
        If you lose your device, each of these codes signs you in once. They are shown only now: download or print them and keep them
        somewhere safe.
      </p>
      <ol className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 font-mono text-sm text-slate-900">
        {codes.map((code) => (
          <li key={code} data-testid="recovery-code">
            {code}
          </li>
        ))}
      </ol>
      <div className="mt-4 flex flex-wrap gap-3">
        <a
          className="btn btn-secondary"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(file)}`}
          download="growbal-recovery-codes.txt"
        >
          Download
        </a>
        <button type="button" className="btn btn-secondary" onClick={() => window.print()}>
          Print
        </button>
        {next ? (
          <a className="btn btn-primary" href={next} data-testid="recovery-codes-continue">
            I saved them, continue
          </a>
        ) : null}
      </div>
    </div>
  );
}

/**
 * The authenticator-app section. It stays mounted while the page refreshes after the app is confirmed, so the
 * recovery codes it was handed stay on screen until the person has saved them.
 */
export function TotpSection({
  enabled,
  owed,
  next,
  enrolment,
}: {
  enabled: boolean;
  owed: boolean;
  next: string | null;
  enrolment: { secret: string; qrSvg: string } | null;
}) {
  const [state, formAction, pending] = useActionState<FactorState, FormData>(confirmTotpAction, {});
  if (state.ok) {
    return (
      <div className="mt-2 space-y-4">
        <FormMessage message={state.message} ok testId="totp-setup-message" />
        {state.result?.recoveryCodes ? (
          <RecoveryCodes codes={state.result.recoveryCodes} next={next} />
        ) : next ? (
          <a className="btn btn-primary" href={next}>
            Continue
          </a>
        ) : null}
      </div>
    );
  }
  if (enabled) {
    return (
      <>
        <p className="mt-1 mb-4 text-sm text-slate-600" data-testid="totp-status">
          On: sign-in asks for a code from your authenticator app.
        </p>
        {owed ? null : <RemoveTotpForm />}
      </>
    );
  }
  if (!enrolment) {
    return (
      <div className="mt-1 space-y-4">
        <p className="text-sm text-slate-600">Use a 6-digit code from an app on your phone.</p>
        <a href="/account/security?setup=totp" className="btn btn-secondary" data-testid="setup-totp">
          Set up an authenticator app
        </a>
      </div>
    );
  }
  return (
    <div className="mt-2 space-y-4">
      <p className="text-sm text-slate-600">
        Scan this code with an authenticator app (such as 1Password, Google Authenticator or Microsoft Authenticator), then enter the code
        it shows.
      </p>
      <div className="flex flex-wrap items-center gap-6">
        {/* An SVG made on the server from the otpauth:// address; the key beside it says the same in text. */}
        <div
          className="size-48 shrink-0"
          role="img"
          aria-label="QR code for your authenticator app"
          dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}
        />
        <div className="min-w-0 text-sm">
          <p className="font-semibold text-brand-deep">Can’t scan it? Enter this key:</p>
          <code className="mt-1 block rounded bg-slate-100 px-2 py-1 font-mono break-all text-slate-900" data-testid="totp-secret">
            {enrolment.secret}
          </code>
          <p className="mt-1 text-xs text-slate-600">Time-based, 6 digits, every 30 seconds.</p>
        </div>
      </div>
      <TotpCodeForm state={state} formAction={formAction} pending={pending} />
    </div>
  );
}

function TotpCodeForm({ state, formAction, pending }: { state: FactorState; formAction: (data: FormData) => void; pending: boolean }) {
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage message={state.message} testId="totp-setup-message" />
      <TotpCodeField
        id="totp-setup-code"
        label="Code from the app"
        hint="After adding the account, your app shows a 6-digit code that changes every 30 seconds."
        error={state.fieldErrors?.code?.[0]}
      />
      <button type="submit" disabled={pending} className="btn btn-primary">
        {pending ? "Checking…" : "Turn on"}
      </button>
    </form>
  );
}

export function AddPasskeyForm({ next, suggestedName }: { next: string | null; suggestedName: string }) {
  const router = useRouter();
  const [name, setName] = useState(suggestedName);
  const [codes, setCodes] = useState<string[] | null>(null);
  if (codes) return <RecoveryCodes codes={codes} next={next} />;
  return (
    <div className="space-y-4">
      <Field
        id="passkey-name"
        name="name"
        label="Name for this passkey"
        hint="So you can tell your passkeys apart, such as “Work laptop”."
        maxLength={60}
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <PasskeyCeremony
        mode="register"
        begin={passkeyRegistrationOptionsAction}
        finish={(response) => registerPasskeyAction(response, name)}
        precheck={() => (name.trim() ? null : "Give the passkey a name, such as “Work laptop”.")}
        onDone={(outcome) => {
          if (outcome.recoveryCodes) setCodes(outcome.recoveryCodes);
          else if (next) router.push(next);
          router.refresh();
        }}
        label="Add a passkey"
        busyLabel="Follow your browser’s prompts…"
        testId="add-passkey"
        className="btn btn-primary"
      />
    </div>
  );
}

export function RenamePasskeyForm({ passkeyId, name }: { passkeyId: string; name: string }) {
  const [state, formAction, pending] = useActionState<FactorState, FormData>(renamePasskeyAction, {});
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2" noValidate>
      <input type="hidden" name="passkeyId" value={passkeyId} />
      <div className="min-w-48 flex-1">
        <Field
          id={`rename-${passkeyId}`}
          name="name"
          label="Name"
          maxLength={60}
          defaultValue={state.values?.name ?? name}
          error={state.fieldErrors?.name?.[0]}
        />
      </div>
      <button type="submit" disabled={pending} className="btn btn-secondary">
        {pending ? "Saving…" : "Rename"}
      </button>
      <div className="w-full">
        <FormMessage message={state.message} ok={state.ok} testId={`rename-${passkeyId}-message`} />
      </div>
    </form>
  );
}

export function RemovePasskeyForm({ passkeyId, name }: { passkeyId: string; name: string }) {
  const [state, formAction, pending] = useActionState<FactorState, FormData>(removePasskeyAction, {});
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="passkeyId" value={passkeyId} />
      <FormMessage message={state.message} ok={state.ok} testId={`remove-${passkeyId}-message`} />
      <button type="submit" disabled={pending} className="btn btn-danger" aria-label={`Remove passkey ${name}`}>
        {pending ? "Removing…" : "Remove"}
      </button>
    </form>
  );
}

export function RemoveTotpForm() {
  const [state, formAction, pending] = useActionState<FactorState, FormData>(removeTotpAction, {});
  return (
    <form action={formAction} className="space-y-2">
      <FormMessage message={state.message} ok={state.ok} testId="remove-totp-message" />
      <button type="submit" disabled={pending} className="btn btn-danger">
        {pending ? "Removing…" : "Remove authenticator app"}
      </button>
    </form>
  );
}

export function RegenerateCodesForm() {
  const [state, formAction, pending] = useActionState<FactorState, FormData>(regenerateRecoveryCodesAction, {});
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage message={state.message} ok={state.ok} testId="regenerate-codes-message" />
      {state.result?.recoveryCodes ? <RecoveryCodes codes={state.result.recoveryCodes} next={null} /> : null}
      <button type="submit" disabled={pending} className="btn btn-secondary">
        {pending ? "Making codes…" : "Make new recovery codes"}
      </button>
    </form>
  );
}
