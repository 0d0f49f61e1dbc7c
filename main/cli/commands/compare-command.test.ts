import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CompareReport } from '../../../preload/api'
import type { Pick } from '../../../preload/pick-rule'
import { slipway } from '../slipway-test-support'

const mlp = 'test-fixtures/onnx/digits_mlp.onnx'

describe('slipway compare', { timeout: 180_000 }, () => {
  it('carries the pick in --json, and never picks one of two byte-identical copies over the other', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-compare-cli-'))
    try {
      const copy = join(dir, 'copy.onnx')
      await copyFile(mlp, copy)
      const args = ['compare', mlp, copy, '--data', 'test-fixtures/data/digits_test_x.npy', '--labels', 'test-fixtures/data/digits_test_y.npy', '--time-budget', '1']
      const { code, stdout, stderr } = await slipway([...args, '--json'])
      expect(stderr).not.toContain('slipway: ')
      expect(code).toBe(0)
      const report = JSON.parse(stdout) as CompareReport & { pick: Pick }
      expect(report.latency?.models).toHaveLength(2)
      expect(report.pick).toMatchObject({ verdict: 'no-difference', winnerId: null, margins: { objective: { basis: 'identical', ratio: 1 } } })
      expect(report.pick.reason).toContain('identical bytes')
      // The text output says the same, with the paired ratio's uncertainty.
      const text = await slipway([...args, '--objective', 'size'])
      expect(text.stdout).toMatch(/× baseline \(paired\)[\s\S]*copy\.onnx +[\d.]+ +± [\d.]+% +\d\.\d\d× ± /)
      expect(text.stdout).toContain('pick: none (no-difference)')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
