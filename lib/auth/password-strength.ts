import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";

/**
 * New passwords are judged by zxcvbn (common-password, name and word dictionaries, keyboard patterns,
 * l33t) in addition to the 12-character minimum; a score below 3 of 4 is refused with its own advice.
 */
let estimator: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return estimator;
}

export const MIN_PASSWORD_SCORE = 3;

export type StrengthVerdict = { ok: true; score: number } | { ok: false; score: number; message: string };

export function checkPasswordStrength(password: string, userInputs: string[] = []): StrengthVerdict {
  const result = zxcvbn().check(password, ["growbal", "growbal intelligence", ...userInputs]);
  if (result.score >= MIN_PASSWORD_SCORE) return { ok: true, score: result.score };
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(" ");
  return { ok: false, score: result.score, message: `This password is too easy to guess.${advice ? ` ${advice}` : ""}` };
}
