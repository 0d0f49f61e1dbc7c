// The graph view on big models: generates ONNX models of 2,000 and 20,000 nodes, reads each with the
// engine's graph extraction (the worker task's code, in process), builds the view and lays it out as the
// layout Web Worker does, and prints the times next to the targets: a 2,000-node model laid out within 2 s
// (every block open), a 20,000-node model opened with its blocks closed within the same 2 s.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { modelGraph } from '../main/core/graph/graph-task'
import { silentJobContext } from '../main/core/jobs/job-context'
import { writeOnnxModel } from '../main/core/onnx/model-file'
import { layoutView } from '../renderer/graph/layout'
import { graphView } from '../renderer/graph/view-model'
import { residualStack } from './graph-models'

const TARGET_MS = 2000

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-bench-graph-'))
  try {
    console.log('nodes   read graph  view  layout  total   target  total/target  blocks open/all  laid-out nodes')
    for (const nodes of [2000, 20000]) {
      const path = join(dir, `stack_${nodes}.onnx`)
      await writeOnnxModel(path, residualStack(nodes))
      let t = performance.now()
      const graph = await modelGraph({ path, format: 'onnx' }, silentJobContext())
      // The graph crosses the contract as JSON (IPC or HTTP): its cost counts.
      const crossed = JSON.parse(JSON.stringify(graph)) as typeof graph
      const readMs = performance.now() - t
      t = performance.now()
      const view = graphView(crossed, { toggledBlocks: new Set(), openNodes: new Set() })
      const viewMs = performance.now() - t
      t = performance.now()
      const layout = layoutView(view)
      const layoutMs = performance.now() - t
      const total = readMs + viewMs + layoutMs
      const open = view.blocks.filter((b) => b.open).length
      console.log(
        `${String(graph.nodeCount).padEnd(7)} ${readMs.toFixed(0).padStart(10)} ${viewMs.toFixed(0).padStart(5)} ${layoutMs.toFixed(0).padStart(7)} ${total.toFixed(0).padStart(6)} ${String(TARGET_MS).padStart(8)} ${(total / TARGET_MS).toFixed(2).padStart(13)} ${`${open}/${view.blocks.length}`.padStart(16)} ${String(layout.nodes.length).padStart(15)}`,
      )
    }
    console.log('(the layout runs in a Web Worker in the app; the UI thread only draws what is in view)')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
