// The selected node: op, name, attributes, the tensors it reads and writes (dtype and shape), statistics of
// its stored weights with a histogram, what the overlay says about it, and for a quantized variant
// "keep in float and re-quantize" (the Changes tab's re-quantize action, with this node).
import { useState } from 'react'
import type { GraphNode, GraphTensor, JobId, ModelEntry, ModelGraph, WeightStats } from '../../../preload/api'
import { formatCount } from '../../format'
import { nodeKey, type NodeMark } from '../../graph/overlays'
import { requantizeRequest } from '../../optimize/requantize'
import { useAppStore } from '../../store/store-context'
import { JobStatus } from '../JobStatus'

const num = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toPrecision(4))
const shapeText = (t: GraphTensor | undefined): string => (t ? `${t.dtype || '?'}[${(t.shape ?? ['?']).join(', ')}]` : 'unknown')

function Histogram({ stats }: { stats: WeightStats }): React.JSX.Element {
  const peak = Math.max(1, ...stats.histogram)
  const w = 200
  const h = 40
  const bar = w / stats.histogram.length
  return (
    <svg width={w} height={h + 12} className="weight-histogram" role="img" aria-label="value histogram">
      {stats.histogram.map((c, i) => (
        <rect key={i} x={i * bar} y={h - (c / peak) * h} width={Math.max(1, bar - 1)} height={(c / peak) * h} />
      ))}
      <text x={0} y={h + 11}>
        {num(stats.min)}
      </text>
      <text x={w} y={h + 11} textAnchor="end">
        {num(stats.max)}
      </text>
    </svg>
  )
}

function TensorRow({ name, tensor }: { name: string; tensor: GraphTensor | undefined }): React.JSX.Element {
  const w = tensor?.weight
  return (
    <li className="tensor-row" data-testid="node-tensor" data-tensor={name}>
      <span className="mono">{name || '(omitted)'}</span> <span className="muted">{shapeText(tensor)}</span>
      {w && (
        <div className="weight-stats" data-testid="weight-stats">
          <div>
            {formatCount(w.count)} values · min {num(w.min)} · max {num(w.max)} · mean {num(w.mean)} ± {num(w.std)} (std) ·{' '}
            <span data-testid="weight-sparsity">{(w.sparsity * 100).toFixed(1)}% zeros</span>
          </div>
          <Histogram stats={w} />
        </div>
      )}
    </li>
  )
}

export function NodePanel(props: { node: GraphNode; graph: ModelGraph; mark: NodeMark | undefined; model: ModelEntry; quantOverlay: boolean; onClose(): void }): React.JSX.Element {
  const { node, graph, mark, model } = props
  const startJob = useAppStore((state) => state.startJob)
  const [jobId, setJobId] = useState<JobId | null>(null)
  const request = props.quantOverlay ? requantizeRequest(model, [nodeKey(node)]) : undefined
  const runsQuantized = mark?.facts.some((f) => f.label === 'runs in' && /int8|int4/.test(f.value))
  return (
    <aside className="node-panel" data-testid="node-panel" data-node-id={node.id}>
      <div className="panel-head">
        <h2>
          {node.op}
          {node.domain ? <span className="muted"> · {node.domain}</span> : null}
        </h2>
        <button type="button" className="button ghost small" onClick={props.onClose} aria-label="close the node panel">
          ×
        </button>
      </div>
      <p className="mono" data-testid="node-panel-name">
        {node.name || '(unnamed)'}
      </p>
      {mark && mark.facts.length > 0 && (
        <dl className="node-facts" data-testid="node-overlay-facts">
          {mark.facts.map((f) => (
            <div key={f.label}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {request && runsQuantized && (
        <div className="node-action">
          <button type="button" className="button primary small" data-testid="keep-float" onClick={() => void startJob(request).then(setJobId)}>
            Keep in float and re-quantize
          </button>
          <JobStatus jobId={jobId} testId="keep-float-job" />
        </div>
      )}
      {node.attributes.length > 0 && (
        <>
          <h3>Attributes</h3>
          <table className="table compact" data-testid="node-attributes">
            <tbody>
              {node.attributes.map((a) => (
                <tr key={a.name}>
                  <td className="mono">{a.name}</td>
                  <td className="mono small">{a.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>Inputs</h3>
      <ul className="plain-list">
        {node.inputs.map((name, i) => (
          <TensorRow key={`${name}-${i}`} name={name} tensor={graph.tensors[name]} />
        ))}
      </ul>
      <h3>Outputs</h3>
      <ul className="plain-list">
        {node.outputs.map((name, i) => (
          <TensorRow key={`${name}-${i}`} name={name} tensor={graph.tensors[name]} />
        ))}
      </ul>
      {(node.subgraphs?.length ?? 0) > 0 && (
        <p className="field-help">
          Holds {node.subgraphs?.map((s) => `${s.attribute} (${s.nodes.length} nodes)`).join(', ')}: open them in place with + on the node.
        </p>
      )}
    </aside>
  )
}
