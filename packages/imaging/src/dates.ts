// Dates as real files write them: DICOM DA/DT/TM in their standard and common non-standard forms
// (ACR-NEMA "1995.01.31", ISO "1995-01-31", "01/31/1995"), and the free text of public data sets
// ("March 3, 2020", "2020"). Each result says whether it is exact; callers keep the text when it is not.

export interface ParsedDate {
  date: Date;
  /** false when only the year or the month was known (the date is then the first day of that period) */
  exact: boolean;
}

const months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function utc(
  year: number,
  month = 1,
  day = 1,
  hours = 0,
  minutes = 0,
  seconds = 0,
  ms = 0,
): Date | undefined {
  if (year < 1850 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, Math.min(seconds, 59), ms));
  return date.getUTCMonth() === month - 1 ? date : undefined; // refuses 31 February
}

/** TM: "HHMMSS.FFFFFF", "HHMM", "HH", or "HH:MM:SS" (ACR-NEMA). */
export function parseDicomTime(
  text: string | undefined,
): { h: number; m: number; s: number; ms: number } | undefined {
  const t = text?.trim().replace(/:/g, "");
  const match = t?.match(/^(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,6}))?$/);
  if (!match) return undefined;
  const [, h, m, s, f] = match;
  const time = {
    h: Number(h),
    m: Number(m ?? 0),
    s: Number(s ?? 0),
    ms: f ? Math.round(Number(`0.${f}`) * 1000) : 0,
  };
  return time.h < 24 && time.m < 60 && time.s <= 60 ? time : undefined;
}

/** DA (optionally with a TM) or DT. */
export function parseDicomDate(text: string | undefined, timeText?: string): ParsedDate | undefined {
  const t = text?.trim();
  if (!t) return undefined;
  // DT: YYYYMMDDHHMMSS.FFFFFF&ZZXX; the offset is dropped (dates are kept as recorded, as DICOM viewers do)
  const dt = t.match(/^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,6}))?(?:[+-]\d{4})?$/);
  if (dt) {
    const [, y, mo, d, h, mi, s, f] = dt;
    const time = h
      ? {
          h: Number(h),
          m: Number(mi ?? 0),
          s: Number(s ?? 0),
          ms: f ? Math.round(Number(`0.${f}`) * 1000) : 0,
        }
      : parseDicomTime(timeText);
    const date = utc(Number(y), Number(mo), Number(d), time?.h, time?.m, time?.s, time?.ms);
    return date ? { date, exact: true } : undefined;
  }
  const separated = t.match(/^(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})$/);
  if (separated) {
    const time = parseDicomTime(timeText);
    const date = utc(
      Number(separated[1]),
      Number(separated[2]),
      Number(separated[3]),
      time?.h,
      time?.m,
      time?.s,
      time?.ms,
    );
    return date ? { date, exact: true } : undefined;
  }
  return parseLooseDate(t);
}

/** Free-text dates of public data sets. */
export function parseLooseDate(text: string | undefined): ParsedDate | undefined {
  const t = text?.trim();
  if (!t) return undefined;
  let m = t.match(/^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/);
  if (m) return exact(utc(Number(m[1]), Number(m[2]), Number(m[3])));
  m = t.match(/^(\d{4})(\d{2})(\d{2})$/);
  if (m) return exact(utc(Number(m[1]), Number(m[2]), Number(m[3])));
  m = t.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/); // US order, as in covid-chest-xray
  if (m) return exact(utc(Number(m[3]), Number(m[1]), Number(m[2])));
  m = t.match(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/); // European order
  if (m) return exact(utc(Number(m[3]), Number(m[2]), Number(m[1])));
  m = t.match(/^([A-Za-z]{3,})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/);
  if (m) return exact(utc(Number(m[3]), monthIndex(m[1]), Number(m[2])));
  m = t.match(/^(\d{1,2}) ([A-Za-z]{3,})\.?,? (\d{4})$/);
  if (m) return exact(utc(Number(m[3]), monthIndex(m[2]), Number(m[1])));
  m = t.match(/^([A-Za-z]{3,})\.?,? (\d{4})$/);
  if (m) return partial(utc(Number(m[2]), monthIndex(m[1])));
  m = t.match(/^(\d{4})[-/.](\d{1,2})$/);
  if (m) return partial(utc(Number(m[1]), Number(m[2])));
  m = t.match(/^(\d{1,2})\/(\d{4})$/);
  if (m) return partial(utc(Number(m[2]), Number(m[1])));
  m = t.match(/^(\d{4})$/);
  if (m) return partial(utc(Number(m[1])));
  return undefined;
}

function monthIndex(name: string | undefined): number {
  return months.indexOf((name ?? "").slice(0, 3).toLowerCase()) + 1;
}

function exact(date: Date | undefined): ParsedDate | undefined {
  return date ? { date, exact: true } : undefined;
}

function partial(date: Date | undefined): ParsedDate | undefined {
  return date ? { date, exact: false } : undefined;
}
