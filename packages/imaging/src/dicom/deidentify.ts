// De-identification on import, after PS3.15 Annex E's Basic Profile with the "retain longitudinal temporal
// information" and "retain patient characteristics" options: names and identifying attributes are removed,
// private tags dropped, UIDs replaced by salted hashes, and Patient ID / Name become a salted pseudonym (the same
// patient always gets the same one, so studies stay linked). Top-level elements are rewritten; everything else is
// copied byte for byte.
import { createHmac } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import { describeError, RejectedFileError } from "../errors";
import { defaultLimits, type Limits } from "../limits";
import { parseDicom } from "./parse";
import type { Element } from "./lib";

/** Top-level attributes removed (identifying people, places, devices or requests). */
const REMOVED = new Set([
  "x00080050",
  "x00080080",
  "x00080081",
  "x00080090",
  "x00080092",
  "x00080094",
  "x00081010",
  "x00081040",
  "x00081048",
  "x00081050",
  "x00081060",
  "x00081070",
  "x00081120",
  "x00100030",
  "x00100032",
  "x00101000",
  "x00101001",
  "x00101002",
  "x00101040",
  "x00101060",
  "x00102154",
  "x00102180",
  "x001021b0",
  "x00104000",
  "x00181000",
  "x00200010",
  "x00321032",
  "x00324000",
  "x00380010",
  "x00400253",
  "x00400275",
  "x00401001",
]);

/** UIDs replaced by a salted hash (consistently, so series and studies still group). */
const UIDS = new Set(["x00080018", "x0020000d", "x0020000e", "x00200052", "x00020003"]);

const LONG_VRS = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"]);

export interface DeidentifyOptions {
  /** secret salt: without it pseudonyms cannot be linked back to patients */
  salt: string;
}

export interface DeidentifyResult {
  bytes: Uint8Array;
  pseudonym: string;
}

export function pseudonymFor(salt: string, patientId: string): string {
  return `ANON-${createHmac("sha256", salt).update(`patient:${patientId}`).digest("hex").slice(0, 16).toUpperCase()}`;
}

/** A UID under the 2.25 root (a UUID-sized integer), derived from the original with the salt. */
export function pseudonymousUid(salt: string, uid: string): string {
  const digest = createHmac("sha256", salt).update(`uid:${uid}`).digest("hex").slice(0, 32);
  return `2.25.${BigInt(`0x${digest}`).toString()}`;
}

interface Piece {
  tag: number;
  bytes: Uint8Array;
}

export function deidentifyDicom(
  input: Uint8Array,
  options: DeidentifyOptions,
  limits: Limits = defaultLimits,
): DeidentifyResult {
  if (options.salt.length < 8) throw new Error("the de-identification salt must be at least 8 characters");
  const dicom = parseDicom(input, limits);
  const { dataSet: ds, syntax, byteArray } = dicom;
  const patientId = ds.string("x00100020")?.trim() || ds.string("x00100010")?.trim() || "unknown";
  const pseudonym = pseudonymFor(options.salt, patientId);
  const implicit = syntax.uid === "1.2.840.10008.1.2";
  const bigEndian = syntax.bigEndian;

  const elements = Object.values(ds.elements);
  const meta = elements.filter((e) => e.tag.startsWith("x0002"));
  const body = elements.filter((e) => !e.tag.startsWith("x0002"));
  const start = (e: Element, isMeta: boolean) => e.dataOffset - headerLength(e, isMeta ? false : implicit);
  const bodyStart = body.length ? Math.min(...body.map((e) => start(e, false))) : byteArray.length;
  const metaEnd = bodyStart;

  const rewrite = (list: Element[], isMeta: boolean, end: number): Piece[] => {
    const sorted = [...list].sort((a, b) => start(a, isMeta) - start(b, isMeta));
    const pieces: Piece[] = [];
    sorted.forEach((element, i) => {
      const from = start(element, isMeta);
      const to = i + 1 < sorted.length ? start(sorted[i + 1] as Element, isMeta) : end;
      const tag = Number.parseInt(element.tag.slice(1), 16);
      const group = tag >>> 16;
      const original = ds.string(element.tag)?.replace(/\0/g, "").trim() ?? "";
      const encode = (value: string, vr: string) =>
        pieces.push({
          tag,
          bytes: encodeElement(tag, vr, value, isMeta ? false : implicit, isMeta ? false : bigEndian),
        });
      if (REMOVED.has(element.tag) || (!isMeta && group % 2 === 1)) return;
      if (element.tag === "x00100010" || element.tag === "x00100020")
        encode(pseudonym, element.tag === "x00100010" ? "PN" : "LO");
      else if (UIDS.has(element.tag) && original) encode(pseudonymousUid(options.salt, original), "UI");
      else if (element.tag === "x00120062" || element.tag === "x00120063")
        return; // rewritten below
      else pieces.push({ tag, bytes: byteArray.subarray(from, to) });
    });
    return pieces;
  };

  const metaPieces = rewrite(meta, true, metaEnd).filter((p) => p.tag !== 0x00020000);
  const bodyPieces = rewrite(body, false, byteArray.length);
  for (const [tag, vr, value] of [
    [0x00120062, "CS", "YES"],
    [0x00120063, "LO", "Basic Application Confidentiality Profile, retain dates and patient characteristics"],
  ] as const) {
    bodyPieces.push({ tag, bytes: encodeElement(tag, vr, value, implicit, bigEndian) });
  }
  bodyPieces.sort((a, b) => a.tag - b.tag);

  const metaBytes = concat(metaPieces.map((p) => p.bytes));
  const groupLength = new Uint8Array(12);
  const view = new DataView(groupLength.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, 0x0000, true);
  groupLength.set([0x55, 0x4c], 4); // "UL"
  view.setUint16(6, 4, true);
  view.setUint32(8, metaBytes.length, true);
  let bodyBytes = concat(bodyPieces.map((p) => p.bytes));
  if (syntax.uid === "1.2.840.10008.1.2.1.99") bodyBytes = deflateRawSync(bodyBytes);
  const out = concat([input.subarray(0, 132), groupLength, metaBytes, bodyBytes]);
  try {
    parseDicom(out, limits); // never hand on bytes that no longer parse
  } catch (error) {
    throw new RejectedFileError(
      "CORRUPT",
      `de-identification produced an unreadable file: ${describeError(error)}`,
    );
  }
  return { bytes: out, pseudonym };
}

function headerLength(element: Element, implicit: boolean): number {
  if (implicit) return 8;
  return element.vr && LONG_VRS.has(element.vr) ? 12 : 8;
}

function encodeElement(
  tag: number,
  vr: string,
  value: string,
  implicit: boolean,
  bigEndian: boolean,
): Uint8Array {
  let text = value;
  if (text.length % 2 === 1) text += vr === "UI" ? "\0" : " ";
  const data = Buffer.from(text, "latin1");
  const header = new Uint8Array(8);
  const view = new DataView(header.buffer);
  view.setUint16(0, tag >>> 16, !bigEndian);
  view.setUint16(2, tag & 0xffff, !bigEndian);
  if (implicit) view.setUint32(4, data.length, !bigEndian);
  else {
    header[4] = vr.charCodeAt(0);
    header[5] = vr.charCodeAt(1);
    view.setUint16(6, data.length, !bigEndian);
  }
  return concat([header, data]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
