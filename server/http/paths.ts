// Which requests are for pages and which for the API: everything outside the API, its
// documentation and the probes is a page, and answers people in HTML rather than programs in JSON.
export function isPagePath (url: string): boolean {
  return !/^\/(api|docs|health|ready)(\/|\?|$)/.test(url)
}
