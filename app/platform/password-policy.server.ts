import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";

/**
 * What a staff password must be: at least 12 characters, and not guessable
 * from the common-password and breached-password lists or simple patterns
 * (zxcvbn-ts with its offline dictionaries; no password ever leaves the
 * server). Score 3 of 4 means "safely unguessable: moderate protection from
 * an offline attack", which together with scrypt is what staff accounts need.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
const MIN_SCORE = 3;

let checker: ZxcvbnFactory | undefined;
function strength(): ZxcvbnFactory {
  // Built once: the dictionaries take a moment to index.
  checker ??= new ZxcvbnFactory({
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
  });
  return checker;
}

/** Why a password is refused, as an i18n key of the `account` namespace, or null when it will do. */
export type PasswordProblem = "account:password.tooShort" | "account:password.tooLong" | "account:password.tooWeak";

/** `userInputs`: the person's own name and email, which a password must not lean on. */
export function passwordProblem(password: string, userInputs: readonly string[] = []): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return "account:password.tooShort";
  if (password.length > MAX_PASSWORD_LENGTH) return "account:password.tooLong";
  const inputs = userInputs.flatMap((input) => [input, ...input.split(/[@.\s]+/)]).filter((input) => input.length >= 3);
  return strength().check(password, inputs).score < MIN_SCORE ? "account:password.tooWeak" : null;
}
