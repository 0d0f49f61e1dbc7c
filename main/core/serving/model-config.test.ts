import { describe, expect, it } from 'vitest'
import { configFromJson, configFromPbtxt, configToJson, configToPbtxt, sessionSettingsOf, withSessionSettings } from './model-config'
import { parsePbtxt, PbtxtEnum, PbtxtError, writePbtxt } from './pbtxt'

const TRITON_EXAMPLE = `
name: "resnet50"
backend: "onnxruntime"            # platform: "onnxruntime_onnx" also accepted
max_batch_size: 8
input  [ { name: "input",  data_type: TYPE_FP32, dims: [ 3, 224, 224 ] } ]
output [ { name: "output", data_type: TYPE_FP32, dims: [ 1000 ] } ]
version_policy: { latest: { num_versions: 2 } }
dynamic_batching { preferred_batch_size: [ 4, 8 ] max_queue_delay_microseconds: 100 }
instance_group [ { count: 2, kind: KIND_CPU } ]
parameters { key: "slipway_canary_version" value: { string_value: "3" } }
`

describe('pbtxt', () => {
  it('reads repeated fields, lists, nested messages, enums and comments', () => {
    const message = parsePbtxt('a: 1 a: 2\nb [ { c: "x\\"y" }, { c: \'z\' } ]\nd: TYPE_FP32 # note\ne { f: true }')
    expect(message['a']).toEqual([1, 2])
    expect(message['b']).toEqual([{ c: ['x"y'] }, { c: ['z'] }])
    expect(message['d']![0]).toBeInstanceOf(PbtxtEnum)
    expect((message['d']![0] as PbtxtEnum).name).toBe('TYPE_FP32')
    expect(message['e']).toEqual([{ f: [true] }])
  })

  it('writes text that reads back to the same message', () => {
    const message = parsePbtxt(TRITON_EXAMPLE)
    expect(parsePbtxt(writePbtxt(message))).toEqual(message)
  })

  it('names the offset of a syntax error and refuses deep nesting', () => {
    expect(() => parsePbtxt('name: "unterminated')).toThrow(/unterminated string at offset 6/)
    expect(() => parsePbtxt('a { '.repeat(40) + '}'.repeat(40))).toThrow(PbtxtError)
  })
})

describe('model config', () => {
  it('reads the fields Slipway uses from Triton example text', () => {
    const config = configFromPbtxt(TRITON_EXAMPLE, 'resnet50')
    expect(config.maxBatchSize).toBe(8)
    expect(config.inputs).toEqual([{ name: 'input', datatype: 'FP32', dims: [3, 224, 224] }])
    expect(config.versionPolicy).toEqual({ kind: 'latest', numVersions: 2 })
    expect(config.dynamicBatching).toEqual({ preferredBatchSize: [4, 8], maxQueueDelayMicroseconds: 100 })
    expect(config.instanceCount).toBe(2)
    expect(config.parameters).toEqual({ slipway_canary_version: '3' })
  })

  it('round-trips through pbtxt and through Triton JSON', () => {
    const config = configFromPbtxt(TRITON_EXAMPLE, 'resnet50')
    expect(configFromPbtxt(configToPbtxt(config), 'resnet50')).toEqual(config)
    expect(configFromJson(configToJson(config), 'resnet50')).toEqual(config)
  })

  it('writes a specific version policy Triton reads as the served versions', () => {
    const config = { ...configFromPbtxt(TRITON_EXAMPLE, 'resnet50'), versionPolicy: { kind: 'specific' as const, versions: [2, 5] } }
    expect(configToPbtxt(config)).toContain('specific {\n    versions: [ 2, 5 ]')
  })

  it('refuses a name that differs from the directory, and unsupported types', () => {
    expect(() => configFromPbtxt('name: "other"', 'resnet50')).toThrow(/does not match/)
    expect(() => configFromPbtxt('input [ { name: "x", data_type: TYPE_BF16, dims: [1] } ]', 'm')).toThrow(/unsupported data_type/)
    expect(() => configFromJson({ max_batch_size: 4, dynamic_batching: { preferred_batch_size: [8] } }, 'm')).toThrow(/preferred_batch_size/)
  })

  it('carries session settings as the Triton ONNX backend reads them, both ways', () => {
    const config = withSessionSettings(configFromPbtxt(TRITON_EXAMPLE, 'resnet50'), { intraOpThreads: 2, graphOptimizationLevel: 'basic' })
    const text = configToPbtxt(config)
    expect(text).toMatch(/optimization \{\s*graph \{\s*level: -1/)
    expect(text).toContain('key: "intra_op_thread_count"')
    for (const read of [configFromPbtxt(text, 'resnet50'), configFromJson(configToJson(config), 'resnet50')])
      expect(sessionSettingsOf(read)).toEqual({ graphOptimizationLevel: 'basic', intraOpThreads: 2 })
    // 'all' is Triton's default: nothing written, and nothing read back but the default.
    const all = withSessionSettings(config, { intraOpThreads: 1, graphOptimizationLevel: 'all' })
    expect(configToPbtxt(all)).not.toContain('optimization')
    expect(sessionSettingsOf(configFromPbtxt(configToPbtxt(all), 'resnet50'))).toEqual({ graphOptimizationLevel: 'all', intraOpThreads: 1 })
    expect(() => configFromJson({ optimization: { graph: { level: 7 } } }, 'm')).toThrow(/graph level/)
  })
})
