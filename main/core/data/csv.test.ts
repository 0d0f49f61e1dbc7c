import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { csvDataSet, loadCsv, parseCsv } from './csv'

const fixture = (name: string): string => fileURLToPath(new URL(`../../../test-fixtures/data/${name}`, import.meta.url))

describe('loadCsv', () => {
  it('reads the gzip-compressed digits table: 1797 rows of 64 pixels, label last', async () => {
    const digits = await loadCsv(fixture('digits.csv.gz'))
    expect(digits.rows).toBe(1797)
    expect(digits.featureNames).toHaveLength(64)
    expect(digits.features).toHaveLength(1797 * 64)
    expect(Array.from(digits.features.subarray(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0])
    expect(Array.from(digits.labels ?? [], Number).slice(0, 5)).toEqual([0, 1, 2, 3, 4])
    // Every digit class appears: the label column was found.
    expect(new Set(Array.from(digits.labels ?? [], Number)).size).toBe(10)
  })
  it("reads scikit-learn's iris header as class names, not column names", async () => {
    const iris = await loadCsv(fixture('iris.csv'))
    expect(iris.rows).toBe(150)
    expect(iris.featureNames).toHaveLength(4)
    expect(iris.labelNames).toEqual(['setosa', 'versicolor', 'virginica'])
    expect(Array.from(iris.features.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround))
  })
  it('honours a row limit', async () => {
    expect((await loadCsv(fixture('digits.csv.gz'), { limit: 10 })).rows).toBe(10)
  })
})

describe('parseCsv', () => {
  it('finds a named label column and maps class names to sorted indices', () => {
    const table = parseCsv('t.csv', 'species,a,b\ncat,1,2\ndog,3,4\ncat,5,6\n', { labelColumn: 'species' })
    expect(table.featureNames).toEqual(['a', 'b'])
    expect(Array.from(table.features)).toEqual([1, 2, 3, 4, 5, 6])
    expect(table.labelNames).toEqual(['cat', 'dog'])
    expect(Array.from(table.labels ?? [], Number)).toEqual([0, 1, 0])
    const named = parseCsv('t.csv', 'a,Target,b\n1,2,3\n4,0,5\n')
    expect(named.labelColumn).toBe('Target')
    expect(Array.from(named.labels ?? [], Number)).toEqual([2, 0])
    expect(named.labelNames).toBeUndefined()
  })
  it('reads a table without labels', () => {
    expect(parseCsv('t.csv', 'a,b\n1,2\n', { labelColumn: 'none' }).labels).toBeUndefined()
  })
  it('names the file, line and column of a bad value', () => {
    expect(() => parseCsv('t.csv', 'a,b,label\n1,2,0\n1,x,1\n')).toThrow("t.csv: line 3, column 2 ('b'): 'x' is not a number")
    expect(() => parseCsv('t.csv', '1,2,0\n1,2\n')).toThrow('t.csv: line 2 has 2 fields, the first row has 3')
    expect(() => parseCsv('t.csv', 'a,b\n')).toThrow('t.csv: has a header but no data rows')
    expect(() => parseCsv('t.csv', 'a,b\n1,2\n', { labelColumn: 'y' })).toThrow("t.csv: has no column named 'y'")
  })
})

describe('csvDataSet', () => {
  it('shapes rows to the model input, scales them, and keeps the labels', async () => {
    const set = await csvDataSet(fixture('digits.csv.gz'), [{ name: 'input', dtype: 'float32', shape: ['batch', 1, 8, 8] }], {
      maxRows: 4,
      csv: { scale: 1 / 16 },
    })
    const input = set.batches[0]?.input
    expect(input?.dims).toEqual([4, 1, 8, 8])
    expect(input?.data[2]).toBeCloseTo(5 / 16, 6)
    expect(set.labels).toHaveLength(4)
  })
  it('refuses rows that do not fit the input', async () => {
    await expect(csvDataSet(fixture('iris.csv'), [{ name: 'input', dtype: 'float32', shape: ['batch', 64] }])).rejects.toThrow(
      /iris.csv: rows of 4 values \(shape \[4\]\) do not fit input 'input', which expects float32 \[batch,64\]/,
    )
  })
})
