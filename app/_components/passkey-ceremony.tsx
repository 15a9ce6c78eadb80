"use client";

import { browserSupportsWebAuthn, startAuthentication, startRegistration } from "@simplewebauthn/browser";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useState, useTransition } from "react";
import { FormMessage } from "./form-fields";

/** What the server actions of a passkey ceremony return: options to start with, or a message; then an outcome. */
export type CeremonyStart<T> = { options?: T; message?: string };
export type CeremonyOutcome = { ok?: boolean; message?: string; recoveryCodes?: string[] | null };

type Props =
  | {
      mode: "authenticate";
      begin: () => Promise<CeremonyStart<PublicKeyCredentialRequestOptionsJSON>>;
      finish: (response: unknown) => Promise<CeremonyOutcome>;
    }
  | {
      mode: "register";
      begin: () => Promise<CeremonyStart<PublicKeyCredentialCreationOptionsJSON>>;
      finish: (response: unknown) => Promise<CeremonyOutcome>;
    };

/** Words for what the browser reports when a ceremony does not finish (the person cancelled, no passkey …). */
function browserProblem(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "AbortError") return "The passkey request was cancelled or timed out. Please try again.";
  if (name === "InvalidStateError") return "This device already has a passkey for your account.";
  if (name === "SecurityError") return "Passkeys cannot be used at this address: open the site at its own domain name and try again.";
  return "Your browser could not use a passkey just now. Please try again.";
}

/**
 * One button that runs a WebAuthn ceremony: asks the server for options, lets the browser create or use the passkey,
 * and hands the result back to the server. Errors are said beside the button; nothing is lost on failure.
 */
export function PasskeyCeremony(
  props: Props & {
    label: string;
    busyLabel: string;
    testId: string;
    className?: string;
    /** Checked before the browser is asked (e.g. the new passkey's name): a message stops the ceremony. */
    precheck?: () => string | null;
    onDone?: (outcome: CeremonyOutcome) => void;
  },
) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ text: string; ok: boolean }>();

  const run = () =>
    startTransition(async () => {
      setMessage(undefined);
      const problem = browserSupportsWebAuthn() ? (props.precheck?.() ?? null) : "This browser does not support passkeys.";
      if (problem) {
        setMessage({ text: problem, ok: false });
        return;
      }
      const start = await props.begin();
      if (!start.options) {
        setMessage({ text: start.message ?? "Passkeys are not available just now.", ok: false });
        return;
      }
      let response: unknown;
      try {
        response =
          props.mode === "register"
            ? await startRegistration({ optionsJSON: start.options as PublicKeyCredentialCreationOptionsJSON })
            : await startAuthentication({ optionsJSON: start.options as PublicKeyCredentialRequestOptionsJSON });
      } catch (error) {
        setMessage({ text: browserProblem(error), ok: false });
        return;
      }
      const outcome = await props.finish(response);
      if (outcome.message) setMessage({ text: outcome.message, ok: outcome.ok === true });
      if (outcome.ok) props.onDone?.(outcome);
    });

  return (
    <div className="space-y-3">
      <FormMessage message={message?.text} ok={message?.ok} testId={`${props.testId}-message`} />
      <button
        type="button"
        onClick={run}
        disabled={pending}
        className={props.className ?? "btn btn-secondary w-full"}
        data-testid={props.testId}
      >
        {pending ? props.busyLabel : props.label}
      </button>
    </div>
  );
}
