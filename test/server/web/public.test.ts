// The public pages against the real services: they render in Chinese, show only the
// de-identified wishes the public API shows, keep a mistyped query usable, satisfy the
// content-security policy (no inline script or style), and answer 404 for what is not public.
import t from 'tap'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { publishedWish, registerHousehold, syncIndex } from '../../helpers/needs.js'

t.test('home, wish search and a wish, as the public sees them', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const family = await registerHousehold(clerk, [{ name: '林大海', birthDate: '1979-09-09', sex: 'male' }, { name: '林小溪', birthDate: '2016-09-09', sex: 'female', schoolStage: 'primary' }])
  const bag = await publishedWish(clerk, family.personIds[1] as number, { item: '书包', value: 130, story: '林小溪的书包坏了，电话13905721234。' })
  const draft = (await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: family.personIds[0], category: 'clothing', item: '棉衣', value: 200 } })).json()
  await syncIndex(app)

  const home = await app.inject({ method: 'GET', url: '/' })
  t.equal(home.statusCode, 200)
  t.match(home.headers['content-type'], /text\/html/)
  t.match(home.body, /<html lang="zh-CN">/)
  t.match(home.body, /<strong>1<\/strong><span>个心愿等待认领/)
  t.match(home.body, /林家孩子/, 'the only wish shows 0-17岁, so its form of address says no more')

  const list = await app.inject({ method: 'GET', url: `/wishes?q=${encodeURIComponent('书包')}` })
  t.equal(list.statusCode, 200)
  t.match(list.body, /共 1 个心愿/)
  t.match(list.body, new RegExp(`href="/wishes/${bag.id}">书包</a>`))
  t.match(list.body, /<option value="school_supplies">学习用品（1）<\/option>/, 'the category facet, with the count')
  const none = await app.inject({ method: 'GET', url: `/wishes?q=${encodeURIComponent('轮椅')}` })
  t.match(none.body, /没有找到符合条件的心愿/)
  const mistyped = await app.inject({ method: 'GET', url: '/wishes?page=0&colour=red' })
  t.equal(mistyped.statusCode, 200, 'a mistyped link still gets the page')
  t.match(mistyped.body, /查询条件有误/)
  t.match(mistyped.body, /共 1 个心愿/)

  const detail = await app.inject({ method: 'GET', url: `/wishes/${bag.id}` })
  t.equal(detail.statusCode, 200)
  t.match(detail.body, /书包/)
  t.match(detail.body, /14 天内送达/)
  t.equal((await app.inject({ method: 'GET', url: `/wishes/${draft.id}` })).statusCode, 404, 'a draft is not public')
  t.equal((await app.inject({ method: 'GET', url: '/wishes/abc' })).statusCode, 404)

  for (const [name, response] of [['home', home], ['list', list], ['detail', detail]] as const) {
    t.notMatch(response.body, /林大海|林小溪|小溪|13905721234|东大街/, `${name}: nothing personal`)
    t.notMatch(response.body, /<script(?![^>]*\bsrc="\/assets\/)|style=|<style/, `${name}: nothing the CSP would block (scripts come from our assets only)`)
    t.match(String(response.headers['content-security-policy']), /default-src 'self'/)
  }
  const css = await app.inject({ method: 'GET', url: '/assets/app.css' })
  t.equal(css.statusCode, 200)
  t.match(css.headers['content-type'], /text\/css/)

  t.match((await app.inject({ method: 'GET', url: '/projects' })).body, /暂时没有正在进行的慈善项目/)
  const charity = await signIn(app, 'cszh')
  const project = (await charity.call({ method: 'POST', url: '/api/v1/projects', payload: { kind: 'dream_room', title: '梦想小屋改造计划', budget: 450000, unitCost: 15000, capacity: 30 } })).json()
  await charity.call({ method: 'POST', url: `/api/v1/projects/${project.id}/open` })
  const projects = await app.inject({ method: 'GET', url: '/projects' })
  t.match(projects.body, /梦想小屋改造计划/)
  t.match(projects.body, /已安排 ¥0（0%），共 ¥450,000/)
})
