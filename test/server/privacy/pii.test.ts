import t from 'tap'
import { randomBytes } from 'node:crypto'
import { blindIndex, blindIndexer, decrypt, encrypt, maskName } from '../../../server/privacy/pii.js'

const keys = { piiEncryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) }

t.test('encryption round-trips and hides the text', async t => {
  const sealed = encrypt(keys, '330503198003015216')
  t.equal(decrypt(keys, sealed), '330503198003015216')
  t.notOk(sealed.toString('latin1').includes('330503'), 'ciphertext does not contain the plain text')
  t.not(encrypt(keys, '张小明').toString('hex'), encrypt(keys, '张小明').toString('hex'), 'a fresh IV each time')
})

t.test('a tampered ciphertext or the wrong key is refused', async t => {
  const sealed = encrypt(keys, '浙江省湖州市南浔区')
  sealed.writeUInt8(sealed.readUInt8(sealed.length - 1) ^ 1, sealed.length - 1)
  t.throws(() => decrypt(keys, sealed))
  t.throws(() => decrypt({ ...keys, piiEncryptionKey: randomBytes(32) }, encrypt(keys, 'x')))
})

t.test('the blind index is deterministic per key', async t => {
  t.same(blindIndex(keys, '33050319800301521X'), blindIndex(keys, '33050319800301521X'))
  t.notSame(blindIndex(keys, '33050319800301521X'), blindIndex(keys, '330503198003015216'))
  t.notSame(blindIndex(keys, '33050319800301521X'), blindIndex({ ...keys, blindIndexKey: randomBytes(32) }, '33050319800301521X'))
  t.equal(blindIndex(keys, 'x').length, 32)
})

t.test('the feed\'s blind indexer gives the same bytes as blindIndex, for any key and text length', async t => {
  // RFC 4231 test case 2: a short key ("Jefe") and a known digest.
  t.equal(blindIndexer(Buffer.from('Jefe'))('what do ya want for nothing?').toString('hex'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
  for (const length of [16, 32, 64, 65, 131]) {
    const key = randomBytes(length)
    const index = blindIndexer(key)
    // Longer texts after shorter ones: the indexer's message buffer grows and must not keep stale bytes.
    for (const text of ['33050319800301521X', '330503198003015216', '', 'x', '张'.repeat(40), '33050319800301521X']) {
      t.same(index(text), blindIndex({ piiEncryptionKey: keys.piiEncryptionKey, blindIndexKey: key }, text), `key of ${length} bytes, text of ${text.length} characters`)
    }
  }
})

t.test('names are masked after the surname', async t => {
  t.equal(maskName('张小明'), '张**')
  t.equal(maskName('欧阳娜娜'), '欧***')
  t.equal(maskName('李'), '*')
})

t.test('IVs stay unique and values readable across refills of the IV pool', async t => {
  const sealed = Array.from({ length: 10_000 }, (_, i) => encrypt(keys, `姓名${i}`))
  t.equal(new Set(sealed.map(s => s.subarray(0, 12).toString('hex'))).size, 10_000, 'no IV used twice')
  t.ok(sealed.every((s, i) => decrypt(keys, s) === `姓名${i}`), 'each decrypts to its own value')
})
