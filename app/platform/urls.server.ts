/** Where links in emails point: PUBLIC_URL in production, else the address this request came to. */
export function publicOrigin(request: Request, configured: string | undefined): string {
  return (configured ?? new URL(request.url).origin).replace(/\/$/, "");
}
