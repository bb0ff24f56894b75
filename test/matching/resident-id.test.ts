import t from 'tap'
import { makeResidentId, parseResidentId, residentIdCheckDigit } from '../../matching/resident-id.js'

// The standard's weights and check characters, applied by hand here rather than through the module.
function checkByHand (first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = first17.split('').reduce((acc, digit, i) => acc + Number(digit) * (weights[i] ?? 0), 0)
  return ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][sum % 11] ?? '?'
}

t.test('check digits follow GB 11643', async t => {
  // 11010519491231002 → sum 167, 167 mod 11 = 2 → X (the standard's own example).
  t.equal(residentIdCheckDigit('11010519491231002'), 'X')
  t.equal(checkByHand('11010519491231002'), 'X')
  for (const first17 of ['33050319800301521', '33050320150630004', '42010119000101001', '62010220241231998']) {
    t.equal(residentIdCheckDigit(first17), checkByHand(first17), first17)
  }
})

t.test('a valid number is parsed and normalised', async t => {
  const parsed = parseResidentId(' 11010519491231002x ')
  t.same(parsed, { ok: true, value: { id: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', sex: 'female', checksum: 'X' } })
  const man = parseResidentId('330503198003015216'.slice(0, 17) + checkByHand('33050319800301521'))
  t.match(man, { ok: true, value: { sex: 'male', birthDate: '1980-03-01', regionCode: '330503' } })
})

t.test('each kind of error is named with a clear message', async t => {
  t.match(parseResidentId('33050319800301521'), { ok: false, error: { code: 'format' } })
  t.match(parseResidentId('3305031980030152AX'), { ok: false, error: { code: 'format' } })
  const noProvince = '99050319800301521'
  t.same(parseResidentId(noProvince + checkByHand(noProvince)), {
    ok: false, error: { code: 'region', message: '身份证号前两位 99 不是任何省级行政区划代码（GB/T 2260，如浙江 33、湖北 42），请核对前 6 位地址码' }
  })
  const wrong = checkByHand('33050319800301521') === '0' ? '1' : '0'
  t.same(parseResidentId(`33050319800301521${wrong}`), {
    ok: false, error: { code: 'checksum', message: `身份证号校验位错误：应为 ${checkByHand('33050319800301521')}，实为 ${wrong}` }
  })
  // Born in Wuhan, living in Nanxun: the address code is the birthplace's and need not match.
  t.match(parseResidentId(makeResidentId('420101', '1990-01-01', 11, 'male')), { ok: true, value: { regionCode: '420101' } })
})

t.test('birth dates must be real, after 1900 and not in the future', async t => {
  const feb29 = (year: string) => `330503${year}0229001`
  t.match(parseResidentId(feb29('1900') + checkByHand(feb29('1900'))), { ok: false, error: { code: 'birth_date' } }, '1900 was not a leap year')
  t.match(parseResidentId(feb29('2000') + checkByHand(feb29('2000'))), { ok: true, value: { birthDate: '2000-02-29' } }, '2000 was')
  const old = '33050318991231001'
  t.same(parseResidentId(old + checkByHand(old)), { ok: false, error: { code: 'birth_date', message: '身份证号中的出生日期 1899-12-31 早于 1900 年' } })
  const first = '33050319000101001'
  t.match(parseResidentId(first + checkByHand(first)), { ok: true, value: { birthDate: '1900-01-01' } }, '1900-01-01 is the earliest accepted day')
  const month13 = '33050319801301001'
  t.same(parseResidentId(month13 + checkByHand(month13)), { ok: false, error: { code: 'birth_date', message: '身份证号中的出生日期 19801301 不是有效日期' } })
  const baby = makeResidentId('330503', '2025-10-01', 1, 'male')
  t.same(parseResidentId(baby, { asOf: '2025-09-30' }), { ok: false, error: { code: 'birth_date', message: '身份证号中的出生日期 2025-10-01 晚于 2025-09-30' } })
  t.match(parseResidentId(baby, { asOf: '2025-10-01' }), { ok: true })
})

t.test('makeResidentId encodes sex in the 17th digit', async t => {
  for (const [sequence, sex] of [[0, 'male'], [1, 'male'], [2, 'female'], [999, 'female'], [998, 'male']] as const) {
    const id = makeResidentId('330503', '2012-05-17', sequence, sex)
    t.match(parseResidentId(id), { ok: true, value: { sex, birthDate: '2012-05-17', regionCode: '330503' } }, `${sequence} ${sex}`)
  }
})
