// Fault injection in front of the test's real Meilisearch: an HTTP proxy that passes every
// request on, except those whose path matches what the test holds — they wait, unanswered,
// until released (a slow task, a hung server) or failed (a server that breaks down meanwhile).
// Closed when the test ends.
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

interface Teardown { teardown: (fn: () => unknown) => void }

export interface HoldingProxy {
  url: string
  /** Hold requests whose path matches from now on. */
  hold: (path: RegExp) => void
  /** Resolves when the first held request has arrived. */
  held: () => Promise<void>
  /** Stop holding and pass on what was held. */
  release: () => void
  /** Stop holding and answer what was held with 503, as a failing server would. */
  fail: () => void
}

export async function holdingProxy (t: Teardown, target: string): Promise<HoldingProxy> {
  const upstream = new URL(target)
  let holding: RegExp | null = null
  let waiting: Array<{ pass: () => void, fail: () => void }> = []
  let arrived: () => void = () => {}
  let firstHeld = new Promise<void>(resolve => { arrived = resolve })
  const pass = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const out = forward({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, answer => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    })
    out.on('error', () => outgoing.destroy())
    incoming.pipe(out)
  }
  const server = createServer((incoming, outgoing) => {
    if (holding?.test(incoming.url ?? '')) {
      waiting.push({ pass: () => pass(incoming, outgoing), fail: () => outgoing.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"unavailable","code":"unavailable"}') })
      arrived()
    } else {
      pass(incoming, outgoing)
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => {
    server.closeAllConnections()
    server.close(() => resolve(undefined))
  }))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: path => {
      holding = path
      firstHeld = new Promise<void>(resolve => { arrived = resolve })
    },
    held: () => firstHeld,
    release: () => {
      holding = null
      for (const request of waiting) request.pass()
      waiting = []
    },
    fail: () => {
      holding = null
      for (const request of waiting) request.fail()
      waiting = []
    }
  }
}
