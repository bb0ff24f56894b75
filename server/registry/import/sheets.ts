// The spreadsheets a clerk downloads around an import: the roster template, with the Chinese
// headers an import reads (columns.ts) and one example household; and an import's problems, to
// fix in the roster and upload again.
import ExcelJS from 'exceljs'
import { COLUMNS } from './columns.js'

/** One made-up household of two (the ID numbers are not real: the check digit is wrong on purpose, so it cannot be imported as is). */
const EXAMPLE: Array<Record<string, string>> = [
  { householdKey: 'H0000001', regionCode: '330503101001', name: '张三', idNumber: '（18 位身份证号）', relation: '户主', laborCapacity: '部分劳动能力', hasIncomeSource: '否', hasAbleSupporter: '否', seriousIllness: '否', schoolStage: '无', employed: '否', annualIncome: '6000', medicalExpense: '0', educationExpense: '0', propertyCompliant: '是', povertyMonitoring: '否', status: '在册', address: '南浔镇东大街 1 号', phone: '13900000000' },
  { householdKey: 'H0000001', name: '张小三', idNumber: '（18 位身份证号）', relation: '子女', laborCapacity: '无劳动能力', schoolStage: '小学' }
]

const headerOf = (field: string): string => COLUMNS.find(c => c.field === field)?.headers[0] ?? field

async function workbook (sheet: string, header: string[], rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  const ws = book.addWorksheet(sheet)
  ws.addRow(header).font = { bold: true }
  for (const row of rows) ws.addRow(row)
  ws.columns.forEach(column => { column.width = 16 })
  return Buffer.from(await book.xlsx.writeBuffer())
}

/** 花名册模板.xlsx: every column an import reads, by its first Chinese header; one example household. */
export function rosterTemplate (): Promise<Buffer> {
  const fields = COLUMNS.map(c => c.field)
  return workbook('花名册', fields.map(headerOf), EXAMPLE.map(row => fields.map(field => row[field] ?? '')))
}

/** The same template as CSV (UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese). */
export function rosterTemplateCsv (): string {
  const fields = COLUMNS.map(c => c.field)
  const line = (cells: string[]) => cells.map(cell => /[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell).join(',')
  return `\uFEFF${[line(fields.map(headerOf)), ...EXAMPLE.map(row => line(fields.map(field => row[field] ?? '')))].join('\r\n')}\r\n`
}

/** An import's problems: row, column, value (identity masked), what is wrong. */
export function problemsWorkbook (problems: ReadonlyArray<{ line: number, column: string, reason: string, value: string | null, severity: string }>): Promise<Buffer> {
  return workbook('问题清单', ['行号', '列', '单元格内容', '问题', '类型'], problems.map(p => [String(p.line), p.column, p.value ?? '', p.reason, p.severity === 'error' ? '错误' : '提示']))
}
