// DICOMweb against a real Orthanc: our STOW-RS client fills it, QIDO-RS + WADO-RS pull studies into the platform,
// and Orthanc pushes a study to our STOW-RS receiver (served here over loopback HTTP).
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DicomwebClient } from "../src/dicomweb/client";
import { TAG } from "../src/dicomweb/dicom-json";
import { pullFromDicomweb } from "../src/dicomweb/pull";
import { receiveStow } from "../src/dicomweb/stow";
import { jobReport } from "../src/jobs";
import { setUp, type TestEnv } from "./helpers";
import { startOrthanc, type Orthanc } from "./orthanc";

const T = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
const CT_SMALL = `${T}/CT_small.dcm`; // CT, study date 2004-01-19
const CT_J2K = `${T}/693_J2KI.dcm`; // CT, JPEG 2000, no study date
const MR_SMALL = `${T}/MR_small.dcm`; // MR, 2004-08-26

let env: TestEnv;
let orthanc: Orthanc;
let receiver: Server;

beforeAll(async () => {
  env = await setUp();
  // our STOW-RS receiver, as the web app's route will call it
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      receiveStow(env.ctx, req.headers["content-type"] ?? "", Buffer.concat(chunks)).then(
        (answer) => {
          res.writeHead(answer.status, { "Content-Type": "application/dicom+json" });
          res.end(JSON.stringify(answer.body));
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as AddressInfo).port;
  orthanc = await startOrthanc(path.join(env.dir, "orthanc"), { cxr: `http://127.0.0.1:${port}/dicom-web/` });
});
afterAll(async () => {
  await orthanc?.stop();
  await new Promise((r) => receiver?.close(r));
  await env.close();
});

describe("DICOMweb with Orthanc", () => {
  it("stores instances in the PACS with our STOW-RS client", async () => {
    const client = new DicomwebClient(orthanc.dicomweb);
    const answer = await client.store([
      await readFile(CT_SMALL),
      await readFile(CT_J2K),
      await readFile(MR_SMALL),
    ]);
    expect(answer[TAG.ReferencedSOPSequence]?.Value).toHaveLength(3);
    expect(await client.searchStudies()).toHaveLength(3);
  });

  it("searches by date, modality and description (QIDO-RS)", async () => {
    const client = new DicomwebClient(orthanc.dicomweb);
    expect(await client.searchStudies({ since: new Date("2004-08-01") })).toHaveLength(1);
    expect(await client.searchStudies({ modality: "CT" })).toHaveLength(2);
    expect(await client.searchStudies({ since: new Date("2030-01-01") })).toHaveLength(0);
  });

  it("pulls studies (QIDO-RS + WADO-RS) into the platform as a resumable job", async () => {
    const { job } = await pullFromDicomweb(env.ctx, { url: orthanc.dicomweb, since: new Date("2000-01-01") });
    // CT_small (2004-01-19) and MR_small (2004-08-26) match the date; the MR is not a modality the platform reviews
    expect(job).toMatchObject({ status: "SUCCEEDED", total: 2, imported: 1, skipped: 1 });
    const report = await jobReport(env.t.db, job.id);
    expect(report.problems[0]?.examples[0]?.message).toMatch(/modality MR is not reviewed/);
    const image = await env.t.db.image.findFirstOrThrow({
      include: { study: { include: { patient: true } } },
    });
    expect(image).toMatchObject({
      source: "DICOMWEB",
      modality: "CT",
      status: "PENDING",
      sopInstanceUid: "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322",
    });
    expect(image.sourceRef).toContain(
      `${orthanc.dicomweb}/studies/1.3.6.1.4.1.5962.1.2.1.20040119072730.12322/series/`,
    );
    expect(image.study.patient.externalId).toBe("1CT1");
    // the stored original is the PACS's file, byte for byte
    expect((await env.storage.get(image.originalSha256)).equals(await readFile(CT_SMALL))).toBe(true);

    const again = await pullFromDicomweb(env.ctx, { url: orthanc.dicomweb, modality: "CT" });
    expect(again.job).toMatchObject({ total: 2, imported: 1, duplicates: 1 }); // the J2K CT is new
  });

  it("receives a study pushed by the PACS (STOW-RS receiver)", async () => {
    const studies = (await (await fetch(`${orthanc.url}/studies`)).json()) as string[];
    let mrStudy: string | undefined;
    for (const id of studies) {
      const study = (await (await fetch(`${orthanc.url}/studies/${id}`)).json()) as {
        MainDicomTags: { StudyInstanceUID: string };
      };
      if (study.MainDicomTags.StudyInstanceUID === "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457") mrStudy = id;
    }
    const ctStudies = studies.filter((id) => id !== mrStudy);
    await env.t.db.image.deleteMany({}); // so the pushed CTs arrive as new images
    const push = await fetch(`${orthanc.url}/dicom-web/servers/cxr/stow`, {
      method: "POST",
      body: JSON.stringify({ Resources: ctStudies, Synchronous: true }),
    });
    expect(push.status, `${await push.clone().text()}\n${orthanc.log()}`).toBe(200);
    const images = await env.t.db.image.findMany({ orderBy: { sopInstanceUid: "asc" } });
    expect(images.map((i) => [i.source, i.modality])).toEqual([
      ["DICOMWEB", "CT"],
      ["DICOMWEB", "CT"],
    ]);

    // an MR study is refused (409 with the instance in the failed SOP sequence); Orthanc reports the push failed
    const refused = await fetch(`${orthanc.url}/dicom-web/servers/cxr/stow`, {
      method: "POST",
      body: JSON.stringify({ Resources: [mrStudy], Synchronous: true }),
    });
    expect(refused.ok).toBe(false);
    expect(await env.t.db.image.count()).toBe(2);
  });

  it("answers STOW-RS requests that are not DICOM with 415, and refused parts in the failed sequence", async () => {
    expect((await receiveStow(env.ctx, "application/json", Buffer.from("{}"))).status).toBe(415);
    const body = Buffer.from("--b\r\nContent-Type: application/dicom\r\n\r\nnot dicom\r\n--b--\r\n");
    const answer = await receiveStow(
      env.ctx,
      'multipart/related; type="application/dicom"; boundary=b',
      body,
    );
    expect(answer.status).toBe(409);
    expect(answer.body[TAG.FailedSOPSequence]?.Value).toHaveLength(1);
    expect(answer.results[0]?.message).toMatch(/not a DICOM file|content is text/);
  });
});
