// Chinese names with a common-surname distribution and given names that fit the generation.
import type { Random } from '../../matching/random.js'
import type { Sex } from '../../matching/domain.js'

const SURNAMES: Array<readonly [string, number]> = [
  ['王', 72], ['李', 70], ['张', 68], ['刘', 55], ['陈', 54], ['杨', 36], ['黄', 25], ['赵', 22], ['吴', 20], ['周', 19],
  ['徐', 17], ['孙', 15], ['马', 14], ['朱', 13], ['胡', 12], ['沈', 12], ['钱', 8], ['施', 6], ['费', 5], ['姚', 7],
  ['郭', 11], ['何', 10], ['高', 10], ['林', 10], ['罗', 9], ['郑', 9], ['梁', 8], ['谢', 7], ['宋', 7], ['唐', 7],
  ['许', 6], ['韩', 6], ['冯', 6], ['邓', 6], ['曹', 6], ['彭', 5], ['曾', 5], ['肖', 5], ['田', 5], ['董', 5], ['欧阳', 1]
]

const GIVEN: Record<'old' | 'middle' | 'young', Record<Sex, string[]>> = {
  old: {
    male: ['建国', '国强', '根宝', '阿福', '金根', '德明', '志华', '炳荣', '海林', '永昌', '福生', '桂林', '荣发'],
    female: ['桂英', '秀英', '金花', '玉兰', '凤英', '阿珍', '月娥', '美娟', '素琴', '彩凤', '菊芬', '杏娣']
  },
  middle: {
    male: ['伟', '强', '军', '勇', '磊', '涛', '斌', '建华', '晓东', '海峰', '志刚', '卫东', '明'],
    female: ['敏', '丽', '静', '燕', '芳', '娟', '红梅', '丽华', '晓燕', '雪芳', '美玲', '春燕']
  },
  young: {
    male: ['子轩', '浩然', '宇航', '俊杰', '梓豪', '一鸣', '天佑', '睿', '博文', '嘉豪', '思远', '铭泽'],
    female: ['梓涵', '欣怡', '一诺', '雨萱', '诗涵', '可馨', '子涵', '佳怡', '若汐', '语桐', '思琪', '梦瑶']
  }
}

export function surname (random: Random): string {
  return random.weighted(SURNAMES)
}

export function givenName (random: Random, sex: Sex, birthYear: number): string {
  const generation = birthYear < 1965 ? 'old' : birthYear < 2000 ? 'middle' : 'young'
  return random.pick(GIVEN[generation][sex])
}
