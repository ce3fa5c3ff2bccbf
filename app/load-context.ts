// What server.ts passes to every loader and action.
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Nonce for this response's inline scripts (Content-Security-Policy). */
    cspNonce?: string;
    /** Client address as seen through TRUST_PROXY proxies; for rate limits only, never stored with answers. */
    clientIp?: string;
  }
}

export {};
