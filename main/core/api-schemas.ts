// Argument schemas for every call of the contract. Both transports (Electron IPC, the browser host's HTTP
// bridge) parse arguments with these before anything runs: the renderer is not trusted.
import { z } from 'zod'
import type { Api, ApiMethod, JobRequest } from '../../preload/api'
import { UserError } from './errors'
import { dataOptionsSchema, inputSpecFields, inputSpecSchema } from './jobs/benchmark-job'
import { jobKinds } from './jobs/job-kinds'
import { deploymentChangeSchema, newTargetSchema } from './publish/api-schemas'
import { modelIdSchema, pathSchema } from './contract-schema'

/** Ids other than a model's: jobs, uploads, stored results, targets. */
const id = z.string().min(1).max(200)

const jobRequest = z.union(
  Object.values(jobKinds).map((kind) => kind.schema) as unknown as [z.ZodType<JobRequest>, ...z.ZodType<JobRequest>[]],
)

const importSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paths'), paths: z.array(pathSchema).min(1).max(1000) }).strict(),
  z.object({ kind: z.literal('upload'), uploadId: id }).strict(),
])

const argSchemas: { readonly [M in ApiMethod]: z.ZodType<Parameters<Api[M]>> } = {
  getAppInfo: z.tuple([]),
  listModels: z.tuple([]),
  getModel: z.tuple([modelIdSchema]),
  importModel: z.tuple([z.union([importSource, z.object({ kind: z.literal('sample') }).strict()])]),
  deleteModel: z.tuple([modelIdSchema]),
  planDeletion: z.tuple([modelIdSchema]),
  renameModel: z.tuple([modelIdSchema, z.string().trim().min(1, 'a name cannot be empty').max(200)]),
  listJobs: z.tuple([]),
  startJob: z.tuple([jobRequest]),
  cancelJob: z.tuple([id]),
  clearFinishedJobs: z.tuple([]),
  listDataFiles: z.tuple([]),
  addDataFile: z.tuple([importSource]),
  checkData: z.union([z.tuple([modelIdSchema, pathSchema]), z.tuple([modelIdSchema, pathSchema, dataOptionsSchema])]),
  suggestData: z.tuple([modelIdSchema]),
  setDataChoice: z.tuple([modelIdSchema, z.enum(['calibration', 'evaluation', 'labels']), pathSchema.nullable()]),
  estimateMacs: z.tuple([modelIdSchema, inputSpecFields.shapes.unwrap()]),
  setInputSpec: z.tuple([modelIdSchema, inputSpecSchema]),
  listResults: z.tuple([modelIdSchema]),
  getGraph: z.tuple([modelIdSchema]),
  exportResult: z.tuple([z.array(modelIdSchema).min(1).max(1000), id, z.enum(['csv', 'md', 'json'])]),
  listTargets: z.tuple([]),
  addTarget: z.tuple([newTargetSchema]),
  removeTarget: z.tuple([id]),
  listDeployments: z.tuple([z.string().min(1).max(2048)]),
  deploymentMetrics: z.tuple([z.string().min(1).max(2048), z.string().min(1).max(128)]),
  changeDeployment: z.tuple([z.string().min(1).max(2048), deploymentChangeSchema]),
}

export function parseArgs<M extends ApiMethod>(method: M, args: unknown): Parameters<Api[M]> {
  const parsed = argSchemas[method].safeParse(args)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    throw new UserError(`invalid arguments for ${method}${where}: ${issue?.message ?? 'malformed'}`)
  }
  return parsed.data as Parameters<Api[M]>
}
