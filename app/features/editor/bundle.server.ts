import JSZip from "jszip";
import { BUNDLE_LIMITS, type BundleEntry, type BundleProblem } from "~/features/editor/bundle";

/**
 * Zips in and out, with jszip (already in the tree through exceljs). Reading
 * trusts nothing the archive declares: names are judged as the archive spells
 * them (jszip's cleaned `name` would hide a "../"), the entry count and the
 * declared sizes are checked before anything is inflated, and inflating
 * counts real bytes and stops at the per-file and total limits, so a zip bomb
 * costs at most those limits.
 */
interface StreamHelper {
  on(event: "data", callback: (chunk: Uint8Array) => void): StreamHelper;
  on(event: "end", callback: () => void): StreamHelper;
  on(event: "error", callback: (error: Error) => void): StreamHelper;
  resume(): StreamHelper;
  pause(): StreamHelper;
}

type ZipObject = JSZip.JSZipObject & {
  internalStream(type: "uint8array"): StreamHelper;
  _data?: { uncompressedSize?: number };
};

function inflate(file: ZipObject, limit: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let settled = false;
    const stream = file.internalStream("uint8array");
    stream
      .on("data", (chunk) => {
        if (settled) return;
        size += chunk.length;
        if (size > limit) {
          settled = true;
          stream.pause();
          resolve(null);
          return;
        }
        chunks.push(chunk);
      })
      .on("error", (error) => {
        if (!settled) {
          settled = true;
          reject(error);
        }
      })
      .on("end", () => {
        if (settled) return;
        settled = true;
        const out = new Uint8Array(size);
        let offset = 0;
        for (const chunk of chunks) {
          out.set(chunk, offset);
          offset += chunk.length;
        }
        resolve(out);
      })
      .resume();
  });
}

export async function readBundle(bytes: Uint8Array): Promise<{ ok: true; entries: BundleEntry[] } | { ok: false; problem: BundleProblem }> {
  if (bytes.length > BUNDLE_LIMITS.zipBytes) return { ok: false, problem: { code: "tooLarge" } };
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  } catch {
    return { ok: false, problem: { code: "notZip" } };
  }
  const files = Object.values(zip.files) as ZipObject[];
  if (files.length > BUNDLE_LIMITS.entries) return { ok: false, problem: { code: "tooManyEntries", limit: BUNDLE_LIMITS.entries } };
  let declared = 0;
  for (const file of files) {
    const size = file._data?.uncompressedSize ?? 0;
    const name = file.unsafeOriginalName ?? file.name;
    if (size > BUNDLE_LIMITS.fileBytes) return { ok: false, problem: { code: "fileTooLarge", name } };
    declared += size;
  }
  if (declared > BUNDLE_LIMITS.totalBytes) return { ok: false, problem: { code: "totalTooLarge" } };

  const entries: BundleEntry[] = [];
  let total = 0;
  for (const file of files) {
    const name = file.unsafeOriginalName ?? file.name;
    if (file.dir) {
      entries.push({ name: name.endsWith("/") ? name : `${name}/`, bytes: new Uint8Array() });
      continue;
    }
    let content: Uint8Array | null;
    try {
      content = await inflate(file, Math.min(BUNDLE_LIMITS.fileBytes, BUNDLE_LIMITS.totalBytes - total));
    } catch {
      return { ok: false, problem: { code: "notZip" } };
    }
    if (content === null)
      return { ok: false, problem: total + BUNDLE_LIMITS.fileBytes > BUNDLE_LIMITS.totalBytes ? { code: "totalTooLarge" } : { code: "fileTooLarge", name } };
    total += content.length;
    entries.push({ name, bytes: content });
  }
  return { ok: true, entries };
}

/** A fixed date, so the same version always gives the same zip. */
const ZIP_DATE = new Date(Date.UTC(2000, 0, 1));

export async function writeBundle(files: readonly { path: string; text: string }[]): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const file of files) zip.file(file.path, file.text, { date: ZIP_DATE, createFolders: false });
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 9 }, platform: "UNIX" });
}
