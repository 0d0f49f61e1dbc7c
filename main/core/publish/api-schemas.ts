// Argument schemas of the target and deployment calls (main/core/api-schemas.ts uses them at the boundary).
import { z } from 'zod'

export const newTargetSchema = z
  .object({
    name: z.string().min(1).max(64),
    kind: z.enum(['slipway', 'triton', 'folder']),
    url: z.string().min(1).max(2048).optional(),
    dir: z.string().min(1).max(4096).optional(),
    format: z.enum(['triton', 'kserve']).optional(),
    token: z.string().min(1).max(4096).optional(),
  })
  .strict()

const model = z.string().min(1).max(128)
const version = z.string().regex(/^[1-9][0-9]{0,8}$/)

export const deploymentChangeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('promote'), model, version }).strict(),
  z.object({ action: z.literal('rollback'), model, version: version.optional() }).strict(),
  z.object({ action: z.literal('delete'), model, version: version.optional() }).strict(),
])
