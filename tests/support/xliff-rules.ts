import { xml2js, type Element } from "xml-js";

/**
 * The rules of the XLIFF 2.0 core schema (xliff_core_2.0.xsd) and the XLIFF 1.2 strict schema
 * (xliff-core-1.2-strict.xsd) for the elements and attributes Parley writes, checked element by element: required
 * attributes, allowed children in their order, enumerated values, NMTOKEN ids unique in their file. The schema files
 * themselves are published by OASIS and reach neither the npm registry nor Debian's packages, the only sources CI
 * has, so this is the part of them our files use, written out from the specifications. Returns the problems found.
 */
export function xliffProblems(xml: string): string[] {
  const problems: string[] = [];
  let root: Element;
  try {
    root = xml2js(xml, { compact: false }) as Element;
  } catch (error) {
    return [`not well-formed: ${(error as Error).message}`];
  }
  const elements = (parent: Element) => (parent.elements ?? []).filter((child) => child.type === "element");
  const texts = (parent: Element) => (parent.elements ?? []).filter((child) => child.type === "text" && String(child.text).trim() !== "");
  const attribute = (element: Element, name: string) => element.attributes?.[name];
  const NMTOKEN = /^[\p{L}\p{N}._:-]+$/u;
  const LANGUAGE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;
  /** Children in this order, each with how many may appear ("1", "?", "+", "*"). */
  const sequence = (parent: Element, where: string, allowed: [string, "1" | "?" | "+" | "*"][]) => {
    const names = elements(parent).map((child) => child.name!);
    let at = 0;
    for (const [name, count] of allowed) {
      let seen = 0;
      while (names[at] === name) {
        at++;
        seen++;
      }
      if ((count === "1" || count === "+") && seen === 0) problems.push(`${where}: <${name}> missing`);
      if ((count === "1" || count === "?") && seen > 1) problems.push(`${where}: more than one <${name}>`);
    }
    if (at < names.length) problems.push(`${where}: <${names[at]}> not allowed there`);
    if (texts(parent).length) problems.push(`${where}: text outside an element`);
  };
  const top = elements(root);
  const xliff = top[0];
  if (top.length !== 1 || xliff?.name !== "xliff") return ["the root element is not <xliff>"];
  const version = attribute(xliff, "version");

  if (version === "2.0") {
    if (attribute(xliff, "xmlns") !== "urn:oasis:names:tc:xliff:document:2.0") problems.push("xliff: not in the XLIFF 2.0 namespace");
    if (!LANGUAGE.test(String(attribute(xliff, "srcLang") ?? ""))) problems.push("xliff: srcLang missing or not a language tag");
    if (attribute(xliff, "trgLang") !== undefined && !LANGUAGE.test(String(attribute(xliff, "trgLang")))) problems.push("xliff: trgLang not a language tag");
    sequence(xliff, "xliff", [["file", "+"]]);
    for (const file of elements(xliff).filter((child) => child.name === "file")) {
      const fileId = String(attribute(file, "id") ?? "");
      if (!NMTOKEN.test(fileId)) problems.push(`file: id "${fileId}" missing or not an NMTOKEN`);
      sequence(file, `file ${fileId}`, [
        ["notes", "?"],
        ["unit", "+"],
      ]);
      const ids = new Set<string>();
      for (const unit of elements(file).filter((child) => child.name === "unit")) {
        const id = String(attribute(unit, "id") ?? "");
        const where = `unit ${id}`;
        if (!NMTOKEN.test(id)) problems.push(`${where}: id missing or not an NMTOKEN`);
        if (ids.has(id)) problems.push(`${where}: id used twice in its file`);
        ids.add(id);
        sequence(unit, where, [
          ["notes", "?"],
          ["segment", "+"],
        ]);
        for (const notes of elements(unit).filter((child) => child.name === "notes")) {
          sequence(notes, `${where} notes`, [["note", "+"]]);
          for (const note of elements(notes)) if (elements(note).length) problems.push(`${where}: a note holds elements`);
        }
        for (const segment of elements(unit).filter((child) => child.name === "segment")) {
          sequence(segment, `${where} segment`, [
            ["source", "1"],
            ["target", "?"],
          ]);
          const state = attribute(segment, "state");
          if (state !== undefined && !["initial", "translated", "reviewed", "final"].includes(String(state))) problems.push(`${where}: state "${state}"`);
          const subState = attribute(segment, "subState");
          if (subState !== undefined && (state === undefined || !/^[^:\s]+:[^\s]+$/.test(String(subState))))
            problems.push(`${where}: subState "${subState}" needs a state and the form prefix:value`);
        }
      }
    }
  } else if (version === "1.2") {
    if (attribute(xliff, "xmlns") !== "urn:oasis:names:tc:xliff:document:1.2") problems.push("xliff: not in the XLIFF 1.2 namespace");
    sequence(xliff, "xliff", [["file", "+"]]);
    for (const file of elements(xliff).filter((child) => child.name === "file")) {
      const original = String(attribute(file, "original") ?? "");
      for (const required of ["original", "source-language", "datatype"])
        if (!attribute(file, required)) problems.push(`file ${original}: the required attribute ${required} is missing`);
      if (!LANGUAGE.test(String(attribute(file, "source-language") ?? ""))) problems.push(`file ${original}: source-language not a language tag`);
      sequence(file, `file ${original}`, [
        ["header", "?"],
        ["body", "1"],
      ]);
      const ids = new Set<string>();
      for (const body of elements(file).filter((child) => child.name === "body")) {
        sequence(body, "body", [["trans-unit", "*"]]);
        for (const unit of elements(body)) {
          const id = String(attribute(unit, "id") ?? "");
          const where = `trans-unit ${id}`;
          if (!id) problems.push(`${where}: id missing`);
          if (ids.has(id)) problems.push(`${where}: id used twice in its file`);
          ids.add(id);
          const names = elements(unit).map((child) => child.name);
          if (names[0] !== "source") problems.push(`${where}: <source> must come first`);
          if (names.filter((name) => name === "source").length !== 1) problems.push(`${where}: one <source>`);
          if (names.filter((name) => name === "target").length > 1) problems.push(`${where}: more than one <target>`);
          const unknown = names.filter((name) => !["source", "target", "note"].includes(String(name)));
          if (unknown.length) problems.push(`${where}: <${unknown[0]}> not expected`);
          const STATES = [
            "new",
            "needs-translation",
            "needs-l10n",
            "needs-adaptation",
            "translated",
            "needs-review-translation",
            "needs-review-l10n",
            "needs-review-adaptation",
            "final",
            "signed-off",
          ];
          for (const target of elements(unit).filter((child) => child.name === "target")) {
            const state = attribute(target, "state");
            if (state !== undefined && !STATES.includes(String(state))) problems.push(`${where}: target state "${state}"`);
          }
        }
      }
    }
  } else {
    problems.push(`xliff: version "${version}" is neither 2.0 nor 1.2`);
  }
  return problems;
}
