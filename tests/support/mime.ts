// A small reader of the messages nodemailer writes, for tests: headers, and the parts of a multipart body decoded.

export interface MimePart {
  headers: Map<string, string>;
  contentType: string;
  body: string;
  parts: MimePart[];
}

function splitHeaders(raw: string): [Map<string, string>, string] {
  const normalised = raw.replace(/\r\n/g, "\n");
  const end = normalised.indexOf("\n\n");
  const head = end === -1 ? normalised : normalised.slice(0, end);
  const body = end === -1 ? "" : normalised.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return [headers, body];
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding?.toLowerCase() === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding?.toLowerCase() === "quoted-printable") {
    const bytes = body.replace(/=\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

export function parseMime(raw: string): MimePart {
  const [headers, body] = splitHeaders(raw);
  const contentType = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!contentType.toLowerCase().startsWith("multipart/") || !boundary) {
    return { headers, contentType, body: decodeBody(body, headers.get("content-transfer-encoding")), parts: [] };
  }
  const chunks = body.split(`--${boundary}`).slice(1);
  const parts = chunks.filter((chunk) => !chunk.startsWith("--")).map((chunk) => parseMime(chunk.replace(/^\n/, "")));
  return { headers, contentType, body: "", parts };
}

/** The first part (at any depth) whose type starts with `type`. */
export function findPart(part: MimePart, type: string): MimePart | undefined {
  if (part.contentType.toLowerCase().startsWith(type)) return part;
  for (const child of part.parts) {
    const found = findPart(child, type);
    if (found) return found;
  }
  return undefined;
}
