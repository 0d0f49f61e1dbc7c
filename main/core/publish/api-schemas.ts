// Argument schemas of the target and deployment calls (main/core/api-schemas.ts uses them at the boundary),
// and of what a Slipway server says was published with a version (another machine's data: parsed, not trusted).
import { z } from 'zod'
import type { PublishedBenchmark, PublishedLineage, WorkspaceLineage } from '../../../preload/api'
import { pathSchema, schemaFor } from '../contract-schema'

export const newTargetSchema = z
  .object({
    name: z.string().min(1).max(64),
    kind: z.enum(['slipway', 'triton', 'folder']),
    url: z.string().min(1).max(2048).optional(),
    dir: pathSchema.optional(),
    format: z.enum(['triton', 'kserve']).optional(),
    token: pathSchema.optional(),
  })
  .strict()

const model = z.string().min(1).max(128)
const version = z.string().regex(/^[1-9][0-9]{0,8}$/)

export const deploymentChangeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('promote'), model, version }).strict(),
  z.object({ action: z.literal('rollback'), model, version: version.optional() }).strict(),
  z.object({ action: z.literal('delete'), model, version: version.optional() }).strict(),
])

const workspaceLineageSchema = schemaFor<WorkspaceLineage>()(
  z.object({
    modelId: z.string(),
    name: z.string(),
    chain: z.array(z.object({ name: z.string(), recipe: z.string().optional(), params: z.record(z.string(), z.unknown()).optional(), createdAt: z.string() })),
  }),
)

export const publishedLineageSchema: z.ZodType<PublishedLineage> = z.union([workspaceLineageSchema, z.object({ file: z.string() })])

export const publishedBenchmarkSchema = schemaFor<PublishedBenchmark>()(
  z.object({
    batch: z.number(),
    threads: z.number(),
    p50Ms: z.number(),
    p95Ms: z.number(),
    samplesPerSec: z.number(),
    sizeBytes: z.number(),
    measuredAt: z.string(),
    accuracy: z.number().optional(),
    top1Agreement: z.number().optional(),
  }),
)
