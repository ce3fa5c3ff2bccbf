// The xliff package ships no types; these cover the four converters used here.
declare module "xliff" {
  export interface XliffUnit {
    source?: unknown;
    target?: unknown;
    note?: string | string[];
  }
  export interface XliffDocument {
    resources: Record<string, Record<string, XliffUnit>>;
    sourceLanguage?: string;
    targetLanguage?: string;
  }
  export function js2xliff(document: XliffDocument, options?: { indent?: string }): Promise<string>;
  export function jsToXliff12(document: XliffDocument, options?: { indent?: string }): Promise<string>;
  export function xliff2js(xml: string): Promise<XliffDocument>;
  export function xliff12ToJs(xml: string): Promise<XliffDocument>;
}
