// Tabular data sets: CSV (optionally gzip-compressed) with numeric feature columns and a label column.
// A first row with any non-numeric field is a header. Labels that are names become class indices in
// sorted order; errors name the file, the line and the column.
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import type { TensorInfo } from '../../../preload/api'
import { FileError } from '../errors'
import { floatRowsTensor } from './float-rows'
import type { LoadOptions, TensorDataSet } from './load-tensors'
import { readUserFile } from '../fs/read-user-file'

export interface CsvOptions {
  /** Column holding the label: a header name, a 0-based index, or 'none'. Default: a column named label,
   * target, class or y, else the last one. */
  readonly labelColumn?: string | number
  /** Read at most this many rows. */
  readonly limit?: number
  /** Multiply every feature by this (digits pixels 0..16 with 1/16 give the 0..1 a model was trained on). */
  readonly scale?: number
}

export interface CsvData {
  readonly file: string
  readonly rows: number
  /** Feature values row by row: rows × featureNames.length. */
  readonly features: Float32Array
  readonly featureNames: readonly string[]
  readonly labels?: BigInt64Array
  /** Class names in index order, when the labels were names rather than numbers. */
  readonly labelNames?: readonly string[]
  readonly labelColumn?: string
}

const labelNames = ['label', 'labels', 'target', 'class', 'y']

function splitLine(line: string): string[] {
  return line.split(/[,;\t]/).map((field) => field.trim().replace(/^"(.*)"$/, '$1'))
}

function isNumber(field: string): boolean {
  return field !== '' && Number.isFinite(Number(field))
}

function pickLabelColumn(file: string, header: readonly string[] | undefined, width: number, option: CsvOptions['labelColumn']): number {
  if (option === 'none') return -1
  if (typeof option === 'number' || (typeof option === 'string' && /^\d+$/.test(option))) {
    const index = Number(option)
    if (index >= width) throw new FileError(file, `label column ${index} is past the last column (${width} columns)`)
    return index
  }
  if (typeof option === 'string') {
    const index = header?.indexOf(option) ?? -1
    if (index < 0)
      throw new FileError(file, `has no column named '${option}'${header ? ` (columns: ${header.join(', ')})` : ' (it has no header row)'}`)
    return index
  }
  const named = header?.findIndex((name) => labelNames.includes(name.toLowerCase())) ?? -1
  return named >= 0 ? named : width - 1
}

export function parseCsv(file: string, text: string, options: CsvOptions = {}): CsvData {
  const lines = text.split(/\r?\n/)
  let first = 0
  while (first < lines.length && (lines[first] as string).trim() === '') first++
  if (first === lines.length) throw new FileError(file, 'the file is empty')
  const firstFields = splitLine(lines[first] as string)
  const header = firstFields.every(isNumber) ? undefined : firstFields
  const dataStart = header ? first + 1 : first
  const width = firstFields.length
  const labelIndex = pickLabelColumn(file, header, width, options.labelColumn)
  const featureNames = Array.from({ length: width }, (_, i) => header?.[i] ?? `column ${i}`).filter((_, i) => i !== labelIndex)
  const limit = options.limit ?? Number.POSITIVE_INFINITY
  const features: number[] = []
  const rawLabels: string[] = []
  let rows = 0
  for (let n = dataStart; n < lines.length && rows < limit; n++) {
    const line = lines[n] as string
    if (line.trim() === '') continue
    const fields = splitLine(line)
    if (fields.length !== width)
      throw new FileError(file, `line ${n + 1} has ${fields.length} fields, the first row has ${width}`)
    fields.forEach((field, column) => {
      if (column === labelIndex) rawLabels.push(field)
      else if (isNumber(field)) features.push(Number(field))
      else throw new FileError(file, `line ${n + 1}, column ${column + 1}${header ? ` ('${header[column]}')` : ''}: '${field}' is not a number`)
    })
    rows++
  }
  if (rows === 0) throw new FileError(file, 'has a header but no data rows')
  // scikit-learn's bundled CSVs start with "n_samples,n_features,class names...": not column names.
  const sklearn = header !== undefined && header[0] === String(rows) && header[1] === String(featureNames.length)
  const names = sklearn ? featureNames.map((_, i) => `column ${i}`) : featureNames
  const base = { file, rows, features: Float32Array.from(features), featureNames: names }
  if (labelIndex < 0) return base
  const labelColumn = sklearn ? 'label' : (header?.[labelIndex] ?? `column ${labelIndex}`)
  if (rawLabels.every(isNumber)) {
    const values = rawLabels.map(Number)
    const bad = values.findIndex((value) => !Number.isInteger(value) || value < 0)
    if (bad >= 0)
      throw new FileError(file, `label '${rawLabels[bad]}' in column '${labelColumn}' is not a class index (a whole number ≥ 0)`)
    const classNames = sklearn ? header.slice(2) : undefined
    return { ...base, labels: BigInt64Array.from(values, BigInt), labelColumn, ...(classNames ? { labelNames: classNames } : {}) }
  }
  const classes = [...new Set(rawLabels)].sort()
  const index = new Map(classes.map((name, i) => [name, i]))
  return { ...base, labels: BigInt64Array.from(rawLabels, (name) => BigInt(index.get(name) as number)), labelNames: classes, labelColumn }
}

export async function loadCsv(path: string, options: CsvOptions = {}): Promise<CsvData> {
  let bytes = await readUserFile(path)
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await promisify(gunzip)(bytes)
    } catch (error) {
      throw new FileError(path, `the gzip data is corrupt (${(error as Error).message})`)
    }
  }
  return parseCsv(path, bytes.toString('utf8'), options)
}

export function isCsvPath(path: string): boolean {
  return /\.(csv|tsv)(\.gz)?$/i.test(path)
}

/** A CSV file as data for a one-input model: each row's features shaped to the input, with the labels. */
export async function csvDataSet(path: string, inputs: readonly TensorInfo[], options: LoadOptions = {}): Promise<TensorDataSet> {
  const input = inputs[0]
  if (inputs.length !== 1 || !input)
    throw new FileError(path, `a CSV table feeds a model with one input; this one has ${inputs.length} (${inputs.map((i) => `'${i.name}'`).join(', ')})`)
  const csv = { ...options.csv, ...(options.maxRows === undefined ? {} : { limit: options.maxRows }) }
  const table = await loadCsv(path, csv)
  const scale = csv.scale ?? 1
  const features = scale === 1 ? table.features : table.features.map((value) => value * scale)
  const tensor = floatRowsTensor(path, features, table.rows, [table.featureNames.length], input)
  return {
    source: path,
    rows: table.rows,
    batches: [{ [input.name]: tensor }],
    ...(table.labels ? { labels: table.labels } : {}),
    ...(table.labelNames ? { labelNames: table.labelNames } : {}),
  }
}
