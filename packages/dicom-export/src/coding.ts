// Coded concepts: DICOM's own (DCM), SNOMED CT (SCT), and the label set's classes as a local coding scheme,
// declared in the object's Coding Scheme Identification Sequence so a receiver can tell what "99CXR" means.
import type { NaturalDataset } from "./source";

export interface Code {
  value: string;
  scheme: string;
  meaning: string;
}

export const LOCAL_SCHEME = "99CXR";

/** A code as a sequence item; values longer than SH's 16 characters go in Long Code Value. */
export function codeItem(code: Code): NaturalDataset {
  const value = code.value.length <= 16 ? { CodeValue: code.value } : { LongCodeValue: code.value };
  return { ...value, CodingSchemeDesignator: code.scheme, CodeMeaning: code.meaning.slice(0, 64) };
}

export const dcm = (value: string, meaning: string): Code => ({ value, scheme: "DCM", meaning });
export const sct = (value: string, meaning: string): Code => ({ value, scheme: "SCT", meaning });

/** A class of the label set: its key is the code value, its name the meaning. */
export interface LabelClassCode {
  key: string;
  name: string;
}

export const classCode = (c: LabelClassCode): Code => ({
  value: c.key,
  scheme: LOCAL_SCHEME,
  meaning: c.name,
});

export function codingSchemes(labelSetName: string): NaturalDataset[] {
  return [
    {
      CodingSchemeDesignator: LOCAL_SCHEME,
      CodingSchemeName: `CXR Review label set ${labelSetName}`.slice(0, 64),
      CodingSchemeResponsibleOrganization: "CXR Review",
    },
  ];
}
