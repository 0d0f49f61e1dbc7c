// Worker task 'profile-join': a variant's profile next to its parent's, with the reasons for big changes
// read from both model files, in a worker so that a hostile model file can crash only that process. The
// engine passes the two profiles and paths and gets back the comparison.
import type { ProfileComparison } from '../../../preload/api'
import type { JobContext } from '../jobs/job-context'
import { readOnnxModel } from '../onnx/model-file'
import { compareProfiles, type Profiled } from './compare-profiles'

export interface ProfileJoinParams {
  readonly variant: Profiled
  readonly variantPath: string
  readonly parent: Profiled
  readonly parentPath: string
}

export async function joinProfiles(params: ProfileJoinParams, ctx: JobContext): Promise<ProfileComparison> {
  ctx.progress(0, 'comparing with the parent')
  const [variantModel, parentModel] = await Promise.all([readOnnxModel(params.variantPath), readOnnxModel(params.parentPath)])
  return compareProfiles(params.variant, params.parent, variantModel.model, parentModel.model)
}
