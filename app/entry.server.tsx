import { Transform, type TransformCallback } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { pickLocale } from "~/platform/i18n";
import { NonceProvider } from "~/components/nonce";
import { pageI18n } from "~/platform/i18n.server";
import { logger } from "~/platform/logger.server";
import { redactPath } from "~/platform/redact";
import type { PageHandle } from "~/features/respondent/page-handle";
export { onServerStart, onServerStop } from "~/lifecycle.server";

const ABORT_DELAY_MS = 5_000;

/**
 * Unexpected server errors (a loader, an action or the render failed). A
 * Response a route throws on purpose (404, 403, 429…) reaches Remix as an
 * ErrorResponse and is an answer, not an error; a request its client
 * abandoned fails for that reason alone.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  logServerError(request, error);
};

function logServerError(request: Request, error: unknown): void {
  const { pathname, search } = new URL(request.url);
  const url = redactPath(pathname + search);
  const text = error instanceof Error ? error.message : isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : String(error);
  // Messages and stacks can quote the path, and with it a token.
  const message = redactPath(text.trim());
  const stack = error instanceof Error && error.stack ? redactPath(error.stack) : undefined;
  logger().error({ method: request.method, url, error: { message, stack } }, `${request.method} ${url} failed: ${message}`);
}

/**
 * React 18.3's renderToPipeableStream writes a U+0000 byte where a multi-byte
 * UTF-8 character meets the end of its 2 KB buffer (facebook/react #27554,
 * #31134): Arabic, Russian and Chinese pages carried NULs that browsers hide
 * but validators, crawlers and screen-reader pipelines choke on. No text of
 * ours can hold a NUL (forms refuse them), so every 0x00 leaving the renderer
 * is dropped here. Copying happens only for chunks that hold one.
 */
export class DropNulBytes extends Transform {
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk.indexOf(0) === -1) {
      callback(null, chunk);
      return;
    }
    const kept = Buffer.allocUnsafe(chunk.length);
    let length = 0;
    for (const byte of chunk) if (byte !== 0) kept[length++] = byte;
    callback(null, kept.subarray(0, length));
  }
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const { matches, loaderData } = remixContext.staticHandlerContext;
  const locale = pickLocale(matches.map((match) => loaderData[match.route.id]));
  const i18n = pageI18n(locale);
  const nonce = loadContext.cspNonce ?? "";
  const page = (
    <NonceProvider value={nonce}>
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
      </I18nextProvider>
    </NonceProvider>
  );

  // A page sent without React's scripts (survey pages, the home and forum pages) has nothing to stream: the
  // only Suspense boundaries are the ones <Scripts> brings for the page's data. Rendered to one string, it
  // skips the stream's encoding of every small chunk into buffers (a tenth of a section page's CPU), and the
  // NUL bytes of React's streaming buffers (see DropNulBytes) cannot occur.
  if (matches.some((match) => (remixContext.routeModules[match.route.id]?.handle as PageHandle | undefined)?.hydrate === false)) {
    responseHeaders.set("Content-Type", "text/html; charset=utf-8");
    return new Response(`<!DOCTYPE html>${renderToString(page)}`, { headers: responseHeaders, status: responseStatusCode });
  }

  // Crawlers get the whole document at once; people get it streamed.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const abortTimer: { id?: NodeJS.Timeout; allReady?: boolean } = {};
    const { pipe, abort } = renderToPipeableStream(page, {
      nonce,
      // Rendered whole: nothing left to abort (the timer would otherwise keep the render alive, and fail on the finished stream).
      onAllReady() {
        abortTimer.allReady = true;
        clearTimeout(abortTimer.id);
        if (readyEvent === "onAllReady") respond();
      },
      onShellReady() {
        if (readyEvent === "onShellReady") respond();
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        // Before the shell, the error rejects the promise and reaches handleError.
        if (shellRendered) logServerError(request, error);
      },
    });
    function respond() {
      shellRendered = true;
      const body = new DropNulBytes();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(
        new Response(createReadableStreamFromReadable(body), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(body);
    }
    if (!abortTimer.allReady) abortTimer.id = setTimeout(abort, ABORT_DELAY_MS);
  });
}
