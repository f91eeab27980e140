// prepareImageFrames: a multi-frame DICOM's frames are decoded in the worker one at a time, when asked for, so
// one decoded frame (and its derivatives) is in memory at a time; a bad frame is refused when it is reached.
import { describe, expect, it } from "vitest";
import { RejectedFileError } from "../src/errors";
import { prepareImage, prepareImageFrames, type PreparedFrame } from "../src/prepare";
import { craftImage, rleFrame, SYNTAX } from "../src/dicom/craft";

const SIDE = 16;
const plane = (value: number) => new Uint8Array(SIDE * SIDE).map((_, i) => (i * 7 + value) % 256);
const goodFrame = (value: number) => rleFrame([plane(0), plane(value)]);
// the second segment starts past the frame's data: refused when this frame is decoded
const badFrame = rleFrame([plane(0), plane(1)], [64, 100_000]);

function multiFrame(frames: Uint8Array[]): Buffer {
  return craftImage({
    rows: SIDE,
    columns: SIDE,
    transferSyntax: SYNTAX.rle,
    pixels: { fragments: frames },
    extra: [{ tag: "00280008", vr: "IS", value: String(frames.length) }],
  });
}

describe("prepareImageFrames", () => {
  it("yields the same frames as prepareImage, one at a time", async () => {
    const file = multiFrame([goodFrame(10), goodFrame(20), goodFrame(30)]);
    const all = await prepareImage(file, "three.dcm");
    const streamed = await prepareImageFrames(file, "three.dcm");
    expect(streamed.frameCount).toBe(3);
    expect(streamed.dicom?.sopInstanceUid).toBe(all.dicom?.sopInstanceUid);
    const frames: PreparedFrame[] = [];
    for await (const frame of streamed.frames) frames.push(frame);
    await streamed.close();
    expect(frames.map((f) => f.frame)).toEqual([0, 1, 2]);
    expect(frames.map((f) => f.master.equals(all.frames[f.frame]!.master))).toEqual([true, true, true]);
    expect(Buffer.isBuffer(frames[0]?.preview)).toBe(true);
  });

  it("decodes a frame only when it is asked for: a bad third frame is refused after two good ones", async () => {
    const file = multiFrame([goodFrame(10), goodFrame(20), badFrame]);
    await expect(prepareImage(file, "bad.dcm")).rejects.toThrow(/RLE segment 2 of 2 starts at byte 100000/);

    const streamed = await prepareImageFrames(file, "bad.dcm"); // the head is fine
    const seen: number[] = [];
    const reading = (async () => {
      for await (const frame of streamed.frames) seen.push(frame.frame);
    })();
    await expect(reading).rejects.toBeInstanceOf(RejectedFileError);
    await expect(reading).rejects.toThrow(/RLE segment 2 of 2 starts at byte 100000/);
    expect(seen).toEqual([0, 1]);
    await streamed.close();
  });

  it("stops the worker's decoding when closed early, and the pool serves the next file", async () => {
    const file = multiFrame([goodFrame(1), goodFrame(2), goodFrame(3), goodFrame(4)]);
    const streamed = await prepareImageFrames(file, "four.dcm");
    for await (const frame of streamed.frames) {
      expect(frame.frame).toBe(0);
      break; // the generator's return closes the stream
    }
    await streamed.close(); // idempotent
    const next = await prepareImageFrames(file, "four.dcm");
    await next.close(); // never asked for a frame
    expect((await prepareImage(file, "four.dcm")).frames).toHaveLength(4);
  });

  it("refuses a file that is not an image before any frame", async () => {
    await expect(prepareImageFrames(Buffer.from("hello"), "x.dcm")).rejects.toThrow(/content is text/);
  });
});
