import { z } from "zod";

/**
 * Sent with a 413 answered before the body was read: the unread rest of the
 * body would otherwise be taken as the next request on a kept-alive connection.
 */
export const CLOSE_CONNECTION = { Connection: "close" } as const;

/** Bodies up to this size are read and thrown away before a 413, so the client sees the answer instead of a reset. */
const DRAIN_LIMIT_BYTES = 32 * 1024 * 1024;

/** Reads and discards what is left of a refused body (up to DRAIN_LIMIT_BYTES). */
export async function discardBody(request: Request): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  let read = 0;
  try {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      read += chunk.byteLength;
      if (read > DRAIN_LIMIT_BYTES) break;
    }
  } catch {
    // The client gave up; nothing to answer.
  }
}

/** Largest urlencoded form Parley accepts; uploads have their own limits. */
export const MAX_FORM_BYTES = 1024 * 1024;

/**
 * Reads a posted form. Bodies that cannot be parsed or are too large are the
 * client's mistake: they become a 400/413, never a 500. A body sent without
 * Content-Length (chunked) is counted as it arrives, so it cannot fill the
 * memory either.
 */
export async function readForm(request: Request, maxBytes = MAX_FORM_BYTES): Promise<FormData> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > maxBytes) {
    await discardBody(request);
    throw new Response("Request body too large", { status: 413, headers: CLOSE_CONNECTION });
  }
  let exceeded = false;
  let source = request;
  if (request.body && !request.headers.has("content-length")) {
    let read = 0;
    const counted = request.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        // Past the limit the rest is read and dropped, so the client gets
        // its 413 instead of a reset; past the drain limit it is cut off.
        transform(chunk, controller) {
          read += chunk.byteLength;
          if (read <= maxBytes) return controller.enqueue(chunk);
          exceeded = true;
          if (read > DRAIN_LIMIT_BYTES) controller.error(new Error("Request body too large"));
        },
        flush(controller) {
          if (exceeded) controller.error(new Error("Request body too large"));
        },
      }),
    );
    source = new Request(request.url, { method: request.method, headers: request.headers, body: counted, duplex: "half" } as RequestInit);
  }
  try {
    return await source.formData();
  } catch {
    if (exceeded) throw new Response("Request body too large", { status: 413, headers: CLOSE_CONNECTION });
    throw new Response("Malformed form data", { status: 400 });
  }
}

/** Each field's problems as i18n keys, in the order found; "form" holds problems of the whole form. */
export type FieldErrors = Record<string, string[]>;

/** The one result of every staff and public form: the parsed values, or each field's messages (i18n keys). */
export type FormSubmission<T> = { ok: true; values: T } | { ok: false; errors: FieldErrors };

/** An i18n key used as a zod message: "errors.field.required", or one in a namespace ("forums:errors.required"). */
const MESSAGE_KEY = /^(?:errors\.|\w+:[\w.]*errors\.)[\w.]+$/;

/**
 * Validates with a zod schema whose messages are i18n keys; the page
 * translates them in the reader's language. Repeated fields keep only their
 * first value unless the schema expects an array.
 */
export function parseForm<Schema extends z.ZodType>(schema: Schema, form: FormData): FormSubmission<z.output<Schema>> {
  const values: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key).filter((value): value is string => typeof value === "string");
    values[key] = all.length > 1 ? all : all[0];
  }
  return parseValues(schema, values);
}

/** Validates values already read (from a form or elsewhere) into the same result as parseForm. */
export function parseValues<Schema extends z.ZodType>(schema: Schema, values: unknown): FormSubmission<z.output<Schema>> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, values: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.join(".") : "form";
    (errors[field] ??= []).push(MESSAGE_KEY.test(issue.message) ? issue.message : "errors.field.invalid");
  }
  return { ok: false, errors };
}

/**
 * A form field read as one string: absent is `absent` (""), a repeated field
 * gives its first value (what FormData.get returns), then the schema given
 * validates it.
 */
export function formText<Schema extends z.ZodType>(schema: Schema, absent = "") {
  return z.preprocess((value) => (Array.isArray(value) ? value[0] : value) ?? absent, schema);
}

/** What was typed, to fill a form again after a refusal (each value cut to maxLength). */
export function submittedValues(form: FormData, names: readonly string[], maxLength = Infinity): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, String(form.get(name) ?? "").slice(0, maxLength)]));
}
