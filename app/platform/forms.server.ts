import type { z } from "zod";

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

export type FieldErrors = Record<string, string[]>;

export type FormResult<T> = { success: true; data: T } | { success: false; errors: FieldErrors };

/**
 * Validates with a zod schema whose messages are i18n keys; the page
 * translates them in the reader's language. Repeated fields keep only their
 * first value unless the schema expects an array.
 */
export function parseForm<Schema extends z.ZodType>(schema: Schema, form: FormData): FormResult<z.output<Schema>> {
  const values: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key).filter((value): value is string => typeof value === "string");
    values[key] = all.length > 1 ? all : all[0];
  }
  return parseValues(schema, values);
}

export function parseValues<Schema extends z.ZodType>(schema: Schema, values: unknown): FormResult<z.output<Schema>> {
  const result = schema.safeParse(values);
  if (result.success) return { success: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.join(".") : "form";
    (errors[field] ??= []).push(issue.message.startsWith("errors.") ? issue.message : "errors.field.invalid");
  }
  return { success: false, errors };
}
