// The text form of an inspection for the terminal.
import type { Inspection, TensorInfo } from '../../preload/api'
import { formatBytes } from '../../preload/format'

function formatTensor(tensor: TensorInfo): string {
  return `  ${tensor.name}  ${tensor.dtype}[${tensor.shape.join(', ')}]`
}

export function formatInspection(path: string, inspection: Inspection): string {
  const lines: string[] = [`${path}  (${inspection.format})`]
  if (inspection.producer) lines.push(`producer     ${inspection.producer.name} ${inspection.producer.version}`.trimEnd())
  if (inspection.irVersion !== undefined) lines.push(`IR version   ${inspection.irVersion}`)
  const opsets = Object.entries(inspection.opsets).map(([domain, version]) => `${domain || 'ai.onnx'} ${version}`)
  if (opsets.length > 0) lines.push(`opsets       ${opsets.join(', ')}`)
  lines.push(`size         ${formatBytes(inspection.sizeBytes)}`)
  lines.push(
    `parameters   ${inspection.parameters.count.toLocaleString('en-US')} (${formatBytes(inspection.parameters.bytes)})` +
      Object.entries(inspection.parameters.byDtype)
        .map(([dtype, { count }]) => `  ${dtype}: ${count.toLocaleString('en-US')}`)
        .join(''),
  )
  lines.push(`nodes        ${inspection.nodeCount}`)
  if (inspection.macs !== null) lines.push(`MACs         ${inspection.macs.toLocaleString('en-US')} per sample`)
  if (inspection.runtimeCheck) {
    const check = inspection.runtimeCheck
    lines.push(
      `runtime      ${check.runtime}: ${check.loads ? `loads${check.sessionCreateMs === undefined ? '' : ` (session in ${check.sessionCreateMs.toFixed(0)} ms)`}` : 'does not load'}`,
    )
  }
  lines.push('inputs', ...inspection.inputs.map(formatTensor), 'outputs', ...inspection.outputs.map(formatTensor))
  const ops = Object.entries(inspection.opHistogram).sort((a, b) => b[1] - a[1])
  lines.push('operators', ...ops.map(([op, count]) => `  ${String(count).padStart(5)}  ${op}`))
  if (inspection.warnings.length > 0) {
    lines.push('warnings', ...inspection.warnings.map((warning) => `  [${warning.severity}] ${warning.message}`))
  }
  return lines.join('\n') + '\n'
}
