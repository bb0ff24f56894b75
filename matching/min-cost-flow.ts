// Min-cost maximum flow by successive shortest paths (Dijkstra with Johnson potentials;
// Bellman–Ford once at the start so that negative edge costs are allowed). Integral
// capacities and costs; exact.

export class MinCostFlow {
  private readonly head: number[]
  private readonly to: number[] = []
  private readonly next: number[] = []
  private readonly capacity: number[] = []
  private readonly cost: number[] = []

  constructor (readonly nodes: number) {
    this.head = new Array<number>(nodes).fill(-1)
  }

  /** Adds an edge and returns its index (read its flow with `flowOn`). */
  addEdge (from: number, to: number, capacity: number, cost: number): number {
    const index = this.to.length
    this.push(from, to, capacity, cost)
    this.push(to, from, 0, -cost)
    return index
  }

  private push (from: number, to: number, capacity: number, cost: number): void {
    this.to.push(to)
    this.capacity.push(capacity)
    this.cost.push(cost)
    this.next.push(this.head[from] as number)
    this.head[from] = this.to.length - 1
  }

  flowOn (edge: number): number {
    return this.capacity[edge ^ 1] as number
  }

  run (source: number, sink: number): { flow: number, cost: number } {
    const n = this.nodes
    const potential = this.bellmanFord(source)
    const dist = new Float64Array(n)
    const previousEdge = new Int32Array(n)
    let flow = 0
    let total = 0
    for (;;) {
      dist.fill(Infinity)
      previousEdge.fill(-1)
      dist[source] = 0
      const heap = new MinHeap()
      heap.push(0, source)
      while (heap.size > 0) {
        const [d, u] = heap.pop()
        if (d > (dist[u] as number)) continue
        for (let e = this.head[u] as number; e !== -1; e = this.next[e] as number) {
          if ((this.capacity[e] as number) <= 0) continue
          const v = this.to[e] as number
          const nd = d + (this.cost[e] as number) + (potential[u] as number) - (potential[v] as number)
          if (nd < (dist[v] as number) - 1e-9) {
            dist[v] = nd
            previousEdge[v] = e
            heap.push(nd, v)
          }
        }
      }
      if (dist[sink] === Infinity) break
      for (let v = 0; v < n; v++) if (dist[v] !== Infinity) potential[v] = (potential[v] as number) + (dist[v] as number)
      let push = Infinity
      for (let v = sink; v !== source; v = this.to[(previousEdge[v] as number) ^ 1] as number) {
        push = Math.min(push, this.capacity[previousEdge[v] as number] as number)
      }
      for (let v = sink; v !== source; v = this.to[(previousEdge[v] as number) ^ 1] as number) {
        const e = previousEdge[v] as number
        this.capacity[e] = (this.capacity[e] as number) - push
        this.capacity[e ^ 1] = (this.capacity[e ^ 1] as number) + push
        total += push * (this.cost[e] as number)
      }
      flow += push
    }
    return { flow, cost: total }
  }

  /**
   * Node potentials π with cost(u, v) + π(u) − π(v) ≥ 0 on every edge with capacity left
   * and on each `extra` edge (from, to, cost): the dual proof that the flow is a cheapest one.
   * Throws when there is a negative cycle, i.e. when the flow is not optimal.
   */
  residualPotentials (extra: ReadonlyArray<readonly [number, number, number]> = []): Float64Array {
    const n = this.nodes
    const pi = new Float64Array(n)
    const extraFrom: Array<Array<readonly [number, number, number]>> = Array.from({ length: n }, () => [])
    for (const edge of extra) extraFrom[edge[0]]?.push(edge)
    const queue: number[] = Array.from({ length: n }, (_, v) => v)
    const queued = new Uint8Array(n).fill(1)
    const relaxations = new Int32Array(n)
    const relax = (u: number, v: number, cost: number) => {
      if ((pi[u] as number) + cost < (pi[v] as number)) {
        pi[v] = (pi[u] as number) + cost
        if (!queued[v]) {
          relaxations[v] = (relaxations[v] as number) + 1
          if ((relaxations[v] as number) > n) throw new Error('negative cycle in the residual network: the flow is not optimal')
          queued[v] = 1
          queue.push(v)
        }
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head] as number
      queued[u] = 0
      for (let e = this.head[u] as number; e !== -1; e = this.next[e] as number) {
        if ((this.capacity[e] as number) > 0) relax(u, this.to[e] as number, this.cost[e] as number)
      }
      for (const [, to, cost] of extraFrom[u] as Array<readonly [number, number, number]>) relax(u, to, cost)
    }
    return pi
  }

  private bellmanFord (source: number): Float64Array {
    const dist = new Float64Array(this.nodes).fill(Infinity)
    dist[source] = 0
    for (let round = 0; round < this.nodes; round++) {
      let changed = false
      for (let u = 0; u < this.nodes; u++) {
        if (dist[u] === Infinity) continue
        for (let e = this.head[u] as number; e !== -1; e = this.next[e] as number) {
          if ((this.capacity[e] as number) <= 0) continue
          const v = this.to[e] as number
          const nd = (dist[u] as number) + (this.cost[e] as number)
          if (nd < (dist[v] as number)) { dist[v] = nd; changed = true }
        }
      }
      if (!changed) break
    }
    for (let v = 0; v < this.nodes; v++) if (dist[v] === Infinity) dist[v] = 0
    return dist
  }
}

class MinHeap {
  private readonly keys: number[] = []
  private readonly values: number[] = []
  get size (): number { return this.keys.length }

  push (key: number, value: number): void {
    const keys = this.keys
    const values = this.values
    let i = keys.length
    keys.push(key)
    values.push(value)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if ((keys[parent] as number) <= key) break
      keys[i] = keys[parent] as number
      values[i] = values[parent] as number
      i = parent
    }
    keys[i] = key
    values[i] = value
  }

  pop (): [number, number] {
    const keys = this.keys
    const values = this.values
    const top: [number, number] = [keys[0] as number, values[0] as number]
    const lastKey = keys.pop() as number
    const lastValue = values.pop() as number
    if (keys.length > 0) {
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        if (left >= keys.length) break
        const right = left + 1
        const child = right < keys.length && (keys[right] as number) < (keys[left] as number) ? right : left
        if ((keys[child] as number) >= lastKey) break
        keys[i] = keys[child] as number
        values[i] = values[child] as number
        i = child
      }
      keys[i] = lastKey
      values[i] = lastValue
    }
    return top
  }
}
