/**
 * The HTML part of every email: a small, table-based layout with inline
 * styles (what mail clients render alike), built from plain-text blocks.
 * Every text and address passes through escapeHtml here, so callers hand in
 * names and answers as they were typed. The plain-text part is written by the
 * callers as before and sent beside this one (multipart/alternative).
 */

export type EmailBlock =
  /** A paragraph; line breaks inside are kept. */
  | { type: "paragraph"; text: string }
  /** A call to action: a large button, then the address itself for clients that hide buttons. */
  | { type: "button"; href: string; label: string; fallback?: string }
  /** A line with a label and a value or a link ("When: …", "Meeting link: …"). */
  | { type: "fact"; label: string; value: string; href?: string }
  /** A text followed by a link on its own line (a cancellation link). */
  | { type: "link"; text: string; href: string }
  | { type: "heading"; text: string }
  /** A question and its answers (the receipt). */
  | { type: "answers"; label: string; answers: string[]; muted?: boolean }
  | { type: "note"; text: string };

export interface EmailBranding {
  /** The organisation's name, shown at the top. */
  name: string;
  /** The logo's address: an inline part ("cid:…") or an absolute https address; null to show the name alone. */
  logoUrl: string | null;
  /** The logo's pixels, so clients that ignore CSS (Outlook) draw it at the right width. */
  logoSize?: { width: number; height: number } | null;
}

export interface EmailLayout {
  language: string;
  dir: "ltr" | "rtl";
  /** The subject, as the document's title. */
  title: string;
  branding: EmailBranding;
  blocks: readonly EmailBlock[];
  /** Small print under the message. */
  footer: readonly string[];
  /** The unsubscribe link of invitations and reminders. */
  unsubscribe?: { text: string; label: string; href: string };
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** Only web addresses become links; anything else (javascript:, data:) is shown as text. */
function safeHref(href: string): string | null {
  return /^https?:\/\//i.test(href) ? escapeHtml(href) : null;
}

const INK = "#1b1f24";
const MUTED = "#4a5360";
const ACCENT = "#0b5cad";
const WASH = "#f3f5f7";
const LINE = "#c9d0d8";
const FONT =
  "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Noto Sans','Noto Sans Arabic','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',Tahoma,Arial,sans-serif";

function lines(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, "<br>");
}

function link(href: string, text: string, style = ""): string {
  const safe = safeHref(href);
  if (!safe) return escapeHtml(text);
  // An address shown as itself reads left to right even in an Arabic email (else "forum-1" turns into "1-…forum").
  // Long addresses may break anywhere; words in a label may not.
  const address = text === href;
  return `<a href="${safe}"${address ? ' dir="ltr"' : ""} style="color:${ACCENT};text-decoration:underline;${address ? "word-break:break-all;" : ""}${style}">${escapeHtml(text)}</a>`;
}

function block(item: EmailBlock, align: string): string {
  const p = `margin:0 0 16px 0;font-family:${FONT};font-size:16px;line-height:1.55;color:${INK};text-align:${align};`;
  switch (item.type) {
    case "paragraph":
      return `<p style="${p}">${lines(item.text)}</p>`;
    case "note":
      return `<p style="${p}font-size:14px;color:${MUTED};">${lines(item.text)}</p>`;
    case "heading":
      return `<h2 style="margin:24px 0 12px 0;font-family:${FONT};font-size:18px;line-height:1.3;color:${INK};text-align:${align};">${escapeHtml(item.text)}</h2>`;
    case "fact": {
      const value = item.href ? link(item.href, item.value) : escapeHtml(item.value);
      return `<p style="${p}margin-bottom:8px;"><strong>${escapeHtml(item.label)}</strong> ${value}</p>`;
    }
    case "link":
      return `<p style="${p}">${lines(item.text)}<br>${link(item.href, item.href)}</p>`;
    case "answers": {
      const answers = item.answers.map((answer) => `<li style="margin:0 0 4px 0;">${lines(answer)}</li>`).join("");
      const color = item.muted ? MUTED : INK;
      return (
        `<p style="${p}margin-bottom:4px;font-weight:bold;">${lines(item.label)}</p>` +
        `<ul style="margin:0 0 16px 0;padding-${align === "right" ? "right" : "left"}:24px;font-family:${FONT};font-size:16px;line-height:1.5;color:${color};text-align:${align};">${answers}</ul>`
      );
    }
    case "button": {
      const href = safeHref(item.href);
      if (!href) return `<p style="${p}">${escapeHtml(item.label)}</p>`;
      // A "bulletproof" button: a coloured table cell around a padded link, so the whole area is clickable
      // and it survives clients that drop CSS backgrounds on links (Outlook).
      const button =
        `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 20px 0;border-collapse:separate;"` +
        ` align="${align}"><tr><td align="center" bgcolor="${ACCENT}" style="border-radius:6px;background:${ACCENT};">` +
        `<a href="${href}" style="display:inline-block;padding:14px 28px;font-family:${FONT};font-size:17px;font-weight:bold;line-height:1.2;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(item.label)}</a>` +
        `</td></tr></table>`;
      const fallback = item.fallback
        ? `<p style="${p}clear:both;font-size:14px;color:${MUTED};">${escapeHtml(item.fallback)}<br>${link(item.href, item.href, "font-size:14px;")}</p>`
        : "";
      return button + `<div style="clear:both;line-height:0;font-size:0;">&nbsp;</div>` + fallback;
    }
  }
}

/** At most 48 px high and 200 px wide, keeping its proportions. */
function logoFit(width: number, height: number): [number, number] {
  const scale = Math.min(48 / height, 200 / width, 1);
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

export function renderEmailHtml(layout: EmailLayout): string {
  const align = layout.dir === "rtl" ? "right" : "left";
  const { name, logoUrl, logoSize } = layout.branding;
  const logo = logoUrl && (/^cid:[\w.@-]+$/.test(logoUrl) ? escapeHtml(logoUrl) : safeHref(logoUrl));
  const nameText = `<span style="font-family:${FONT};font-size:20px;font-weight:bold;color:${INK};vertical-align:middle;">${escapeHtml(name)}</span>`;
  // The logo beside the name (as on the site's pages), its alt text empty: the name already says it, and a
  // client that blocks images then shows the name once rather than twice.
  const [width, height] = logoSize ? logoFit(logoSize.width, logoSize.height) : [null, 40];
  const brand = logo
    ? `<img src="${logo}" alt="" height="${height}"${width ? ` width="${width}"` : ""} style="display:inline-block;vertical-align:middle;height:${height}px;width:${width ? `${width}px` : "auto"};border:0;outline:none;text-decoration:none;margin-${align === "right" ? "left" : "right"}:12px;">${nameText}`
    : nameText;
  const footer = layout.footer.map((text) => `<p style="margin:0 0 8px 0;">${lines(text)}</p>`).join("");
  const unsubscribe = layout.unsubscribe
    ? `<p style="margin:0 0 8px 0;">${lines(layout.unsubscribe.text)} ${link(layout.unsubscribe.href, layout.unsubscribe.label, `color:${MUTED};`)}</p>`
    : "";
  return (
    `<!DOCTYPE html>\n` +
    `<html lang="${escapeHtml(layout.language)}" dir="${layout.dir}">\n` +
    `<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta name="color-scheme" content="light">\n<meta name="supported-color-schemes" content="light">\n` +
    `<title>${escapeHtml(layout.title)}</title>\n</head>\n` +
    `<body style="margin:0;padding:0;background:${WASH};-webkit-text-size-adjust:100%;">\n` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${WASH};" dir="${layout.dir}">` +
    `<tr><td align="center" style="padding:24px 12px;">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border:1px solid ${LINE};border-radius:8px;border-collapse:separate;">` +
    `<tr><td style="padding:20px 28px;border-bottom:3px solid ${ACCENT};text-align:${align};">${brand}</td></tr>` +
    `<tr><td style="padding:28px 28px 12px 28px;text-align:${align};">${layout.blocks.map((item) => block(item, align)).join("\n")}</td></tr>` +
    `</table>` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;">` +
    `<tr><td style="padding:16px 28px;font-family:${FONT};font-size:13px;line-height:1.5;color:${MUTED};text-align:${align};">${footer}${unsubscribe}</td></tr>` +
    `</table>` +
    `</td></tr></table>\n</body>\n</html>\n`
  );
}
