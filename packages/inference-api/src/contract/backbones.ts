// Pretrained backbones: ImageNet (or other) weights of a transfer architecture, imported from a Keras weight
// file into a checksummed folder; training uses the newest registered one of its architecture.
import { z } from "zod";
import { personSchema } from "./models";

/** the architectures with a pretrained backbone (the compact model has none) */
export const backboneArchitectureSchema = z.enum(["vgg16", "densenet121", "resnet50"]);
export type BackboneArchitecture = z.infer<typeof backboneArchitectureSchema>;

export const registerBackboneInputSchema = z.object({
  architecture: backboneArchitectureSchema,
  /** the Keras file's name, as uploaded */
  sourceFile: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[^/\\\0]+$/, "a file name, without folders"),
  /** the SHA-256 key of the Keras file in the shared object storage (the web app's upload put it there) */
  objectKey: z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 object key"),
  /** the person registering it: must be an active ADMIN */
  actorId: z.string().min(1),
});
export type RegisterBackboneInput = z.infer<typeof registerBackboneInputSchema>;

export const listBackbonesInputSchema = z.object({ architecture: backboneArchitectureSchema.optional() });
export type ListBackbonesInput = z.infer<typeof listBackbonesInputSchema>;

export const backboneViewSchema = z.object({
  id: z.string(),
  architecture: backboneArchitectureSchema,
  sourceFile: z.string(),
  /** digest of the backbone folder's checksums */
  checksum: z.string(),
  sourceSha256: z.string(),
  storageUri: z.string(),
  createdAt: z.date(),
  createdBy: personSchema,
  /** the newest of its architecture: what training uses */
  inUse: z.boolean(),
});
export type BackboneView = z.infer<typeof backboneViewSchema>;

export const registerBackboneResultSchema = z.object({
  backbone: backboneViewSchema,
  /** false when the same weights were registered before (the existing entry is returned) */
  created: z.boolean(),
});
export type RegisterBackboneResult = z.infer<typeof registerBackboneResultSchema>;

export interface BackboneHandlers {
  register(input: RegisterBackboneInput): Promise<RegisterBackboneResult>;
  list(input: ListBackbonesInput): Promise<BackboneView[]>;
}
