// Content-addressed objects in an S3-compatible bucket (AWS S3, MinIO, ...): key <prefix>/ab/cd/<sha256>.
// A PUT is atomic in S3: readers see the previous state or the whole object, never part of it.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { sha256Hex, sha256Schema } from "./hash";
import type { ObjectStorage, PutResult } from "./types";
import { ObjectNotFoundError, objectPathOf, verifiedBytes } from "./types";

export interface S3StorageOptions {
  bucket: string;
  prefix?: string;
  region?: string;
  /** for MinIO and other S3-compatible servers; implies path-style addressing */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export class S3Storage implements ObjectStorage {
  readonly description: string;
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(private readonly options: S3StorageOptions) {
    this.prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    this.description = `s3://${options.bucket}/${this.prefix}${options.endpoint ? ` at ${options.endpoint}` : ""}`;
    this.client = new S3Client({
      region: options.region ?? "us-east-1",
      endpoint: options.endpoint,
      forcePathStyle: Boolean(options.endpoint),
      credentials: options.credentials,
      // S3-compatible servers differ in their support of the newer flexible checksums; send them only when required
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  private key(sha256: string): string {
    const key = objectPathOf(sha256);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  async put(bytes: Uint8Array, options: { contentType?: string } = {}): Promise<PutResult> {
    const sha256 = sha256Hex(bytes);
    if (await this.has(sha256)) return { sha256, byteSize: bytes.byteLength, created: false };
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.key(sha256),
        Body: bytes,
        ContentLength: bytes.byteLength,
        ContentType: options.contentType ?? "application/octet-stream",
      }),
    );
    return { sha256, byteSize: bytes.byteLength, created: true };
  }

  async get(sha256: string): Promise<Buffer> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }),
      );
      if (!response.Body) throw new ObjectNotFoundError(sha256);
      return verifiedBytes(sha256, Buffer.from(await response.Body.transformToByteArray()));
    } catch (error) {
      if (error instanceof NoSuchKey || error instanceof NotFound) throw new ObjectNotFoundError(sha256);
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }));
      return true;
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey || httpStatus(error) === 404) return false;
      throw error;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }));
  }

  async *list(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: this.prefix ? `${this.prefix}/` : undefined,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        const name = object.Key?.split("/").pop() ?? "";
        if (sha256Schema.safeParse(name).success) yield name;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  destroy(): void {
    this.client.destroy();
  }
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("$metadata" in error)) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return metadata?.httpStatusCode;
}
