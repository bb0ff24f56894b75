// The record keys seen in one feed file, with the line where each was first seen: a file that
// holds the same record twice reports the second as a duplicate of the first. A million keys in
// a JavaScript Map were a million strings the garbage collector walked again at every major
// collection (half the import's pauses at 300,000 records); here they are 32-byte slots in one
// buffer outside the heap, found by open addressing. The keys are SHA-256 digests, so their
// first bytes already spread evenly over the slots.

const KEY_BYTES = 32

export class RecordKeySet {
  private capacity: number
  private keys: Buffer
  /** The line of the key in each slot; 0 marks an empty slot (lines count from 1). */
  private lines: Int32Array
  private size = 0

  /** The number of slots to start with: a power of two (it doubles while the set is half full). */
  constructor (initialCapacity = 1 << 14) {
    if (!Number.isInteger(Math.log2(initialCapacity))) throw new Error('the capacity is a power of two')
    this.capacity = initialCapacity
    this.keys = Buffer.alloc(initialCapacity * KEY_BYTES)
    this.lines = new Int32Array(initialCapacity)
  }

  /** The line this key was first seen on; if it is new, it is recorded as seen on `line`. */
  firstLine (key: Buffer, line: number): number | undefined {
    if (key.length !== KEY_BYTES) throw new Error(`a record key has ${KEY_BYTES} bytes, not ${key.length}`)
    if (line < 1) throw new Error('lines count from 1')
    const slot = this.find(key)
    const seen = this.lines[slot] as number
    if (seen !== 0) return seen
    if ((this.size + 1) * 2 > this.capacity) {
      this.grow()
      return this.firstLine(key, line)
    }
    key.copy(this.keys, slot * KEY_BYTES)
    this.lines[slot] = line
    this.size++
    return undefined
  }

  /** The slot holding this key, or the empty slot where it belongs. */
  private find (key: Buffer): number {
    const mask = this.capacity - 1
    let slot = key.readUInt32LE(0) & mask
    while (this.lines[slot] !== 0 && !this.holds(slot, key)) slot = (slot + 1) & mask
    return slot
  }

  private holds (slot: number, key: Buffer): boolean {
    const at = slot * KEY_BYTES
    for (let i = 0; i < KEY_BYTES; i += 4) if (this.keys.readUInt32LE(at + i) !== key.readUInt32LE(i)) return false
    return true
  }

  private grow (): void {
    const { keys, lines, capacity } = this
    this.capacity = capacity * 2
    this.keys = Buffer.alloc(this.capacity * KEY_BYTES)
    this.lines = new Int32Array(this.capacity)
    for (let slot = 0; slot < capacity; slot++) {
      if (lines[slot] === 0) continue
      const key = keys.subarray(slot * KEY_BYTES, (slot + 1) * KEY_BYTES)
      const to = this.find(key)
      key.copy(this.keys, to * KEY_BYTES)
      this.lines[to] = lines[slot] as number
    }
  }
}
