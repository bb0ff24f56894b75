// The pure de-identification helpers on plain data: what the scrubber takes out of a story
// (and what it cannot know to take out), surnames, and forms of address that say no more than
// the age band shown with them.
import t from 'tap'
import { ageBand, givenNameOf, maskedTitle, scrub, scrubStory, surnameOf } from '../../../server/privacy/deidentify.js'

t.test('phone numbers, ID numbers, addresses and the family\'s names are taken out', async t => {
  const family = ['王建国', '建国', '王小明', '小明']
  t.equal(scrubStory('王小明的书包破了，家住南浔镇东大街12号3室，请联系13905721234，父亲身份证330503198005011234。', family),
    '【已隐去】的书包破了，【已隐去】，请联系【已隐去】，父亲身份证【已隐去】。')
  t.equal(scrubStory('电话+86 139-0572-1234或139 0572 1234，座机0572-2345678。', []), '电话【已隐去】或【已隐去】，座机【已隐去】。', 'mobiles with +86 and separators, landlines')
  t.equal(scrubStory('证件号33050319800101****，另一个33050319800101123X。', []), '证件号【已隐去】，另一个【已隐去】。', 'partly masked ID numbers and the X check digit')
  t.equal(scrubStory('银行卡6222021234567890123，邮编313009，2025年入学。', []), '银行卡【已隐去】，邮编313009，2025年入学。', 'seven digits or more go; a postcode and a year stay')
  t.equal(scrubStory('她住在双林镇新华路25号，平时在东大街社区3组12号帮忙。', []), '她【已隐去】，【已隐去】帮忙。', '住在… to the end of the clause; a village group and number')
  t.equal(scrubStory('东大街社区12组的孩子', []), '【已隐去】的孩子')
  // The street pattern takes up to twelve characters before 路 with it: it cannot tell a road's
  // name from the words before it, and errs on the side of taking too much.
  t.equal(scrubStory('东西请送到人民路88号5幢201室，谢谢。', []), '【已隐去】，谢谢。')
})

t.test('numbers in any spelling: full-width, mixed, Chinese digits, and split by what people type between digits', async t => {
  const gone = (text: string) => scrub(text, []).text
  t.equal(gone('请联系１３８０５７２１２３４。'), '请联系【已隐去】。', 'full-width digits, as Chinese input methods type them')
  t.equal(gone('身份证３３０５０３１９８００５０１１２３Ｘ。'), '身份证【已隐去】。', 'a full-width ID number with a full-width Ｘ')
  t.equal(gone('电话1３8０572１234，身份证33０5031980０501123x。'), '电话【已隐去】，身份证【已隐去】。', 'half- and full-width mixed in one number')
  t.equal(gone('手机 138 0572 1234，或 138－0572－1234，或 138　0572　1234。'), '手机 【已隐去】，或 【已隐去】，或 【已隐去】。', 'spaces, full-width hyphens, ideographic spaces between the groups')
  t.equal(gone('号码 1 3 8 0 5 7 2 1 2 3 4 找她'), '号码 【已隐去】 找她', 'a digit a word')
  t.equal(gone('电话一三八〇五七二一二三四，幺三八零五七二一二三四。'), '电话【已隐去】，【已隐去】。', 'Chinese digits, 〇 and 零, 幺 for one')
  t.equal(gone('电话138零五七二1234。'), '电话【已隐去】。', 'Arabic and Chinese digits mixed')
  t.equal(gone('号码①③⑧⓪⑤⑦②①②③④'), '号码【已隐去】', 'circled digits')
  t.equal(gone('请拨＋８６ １３９ ０５７２ １２３４。'), '请拨【已隐去】。', 'a full-width +86')
  t.equal(gone('证号 330503 19800501 123X 已核'), '证号 【已隐去】 已核', 'an ID number in groups')
  t.equal(gone('卡号 6222 0212 3456 7890 123。'), '卡号 【已隐去】。', 'a card number in groups of four')
  t.equal(gone('身份证3305031980050１****。'), '身份证【已隐去】。', 'a partly masked one, mixed')
  t.equal(gone('需要在2025-09-01开学前，或２０２５／９／１，价值150元，一家3口。'), '需要在2025-09-01开学前，或２０２５／９／１，价值150元，一家3口。', 'dates, amounts and small numbers stay')
  t.equal(gone('东大街社区一组'), '【已隐去】', 'a village group in Chinese digits')
})

t.test('the scrubber reports what it took out, as typed', async t => {
  const { text, removed } = scrub('王小明家住东大街12号，电话１３８－０５７２－１２３４，身份证330503198005011234，卡号6222021234567。', ['王小明', '小明'])
  t.equal(text, '【已隐去】，电话【已隐去】，身份证【已隐去】，卡号【已隐去】。', 'the name and the address touch: one mark')
  t.same(removed, [
    { kind: 'name', text: '王小明' },
    { kind: 'address', text: '家住东大街12号' },
    { kind: 'phone', text: '１３８－０５７２－１２３４' },
    { kind: 'id_number', text: '330503198005011234' },
    { kind: 'digits', text: '6222021234567' }
  ])
  t.same(scrub('书包破了。', ['王小明']), { text: '书包破了。', removed: [] }, 'nothing to take out')
})

t.test('family names: full and given, compound surnames, longest first; one-character given names stay', async t => {
  t.equal(scrubStory('奶奶说欧阳娜娜和娜娜的哥哥都很懂事。', ['欧阳娜娜', givenNameOf('欧阳娜娜')]), '奶奶说【已隐去】和【已隐去】的哥哥都很懂事。')
  t.equal(scrubStory('王明明天上学，王明的妹妹也去。', ['王明', givenNameOf('王明')]), '【已隐去】明天上学，【已隐去】的妹妹也去。',
    'a one-character given name (明) is not scrubbed on its own: it would cut every word it occurs in')
  t.equal(scrubStory('王小明和小明的爸爸', ['小明', '王小明']), '【已隐去】和【已隐去】的爸爸', 'the full name before the given name, so no 王 is left dangling')
  t.equal(scrubStory('12345678，13905721234', []), '【已隐去】，【已隐去】', 'adjacent redactions stay apart when text separates them')
  t.equal(scrubStory('王小明13905721234', ['王小明']), '【已隐去】', 'and merge when nothing does')
})

t.test('names of people outside the family are not known, so not scrubbed', async t => {
  t.equal(scrubStory('邻居李阿姨和班主任赵老师经常照顾她。', ['张三', '三']), '邻居李阿姨和班主任赵老师经常照顾她。')
})

t.test('surnames and given names', async t => {
  t.same(['欧阳娜娜', '王小明', ' 李四 ', '欧阳', '司马'].map(surnameOf), ['欧阳', '王', '李', '欧', '司'], 'a compound surname needs a given name after it')
  t.same(['欧阳娜娜', '王小明', ' 李四 '].map(givenNameOf), ['娜娜', '小明', '四'])
})

t.test('the form of address follows the band shown, never the true age or school stage', async t => {
  const shown = (age: number, level: 'fine' | 'wide') => [ageBand(age, level), maskedTitle('张小明', 'male', age, level), maskedTitle('欧阳娜娜', 'female', age, level)]
  t.same(shown(2, 'fine'), ['0-2岁', '张小朋友', '欧阳小朋友'])
  t.same(shown(5, 'fine'), ['3-5岁', '张小朋友', '欧阳小朋友'])
  t.same(shown(6, 'fine'), ['6-11岁', '张同学', '欧阳同学'], 'a kindergarten child of six is shown 6-11岁, so 同学 like the rest of the band')
  t.same(shown(17, 'fine'), ['15-17岁', '张同学', '欧阳同学'])
  t.same(shown(5, 'wide'), ['0-17岁', '张家孩子', '欧阳家孩子'], 'a widened band: neither 小朋友 (under six) nor 同学 (school age)')
  t.same(shown(16, 'wide'), ['0-17岁', '张家孩子', '欧阳家孩子'])
  t.same(shown(18, 'fine'), ['18-44岁', '张先生', '欧阳女士'], 'an adult still at school is not 同学: the band says adult')
  t.same(shown(59, 'wide'), ['18-59岁', '张先生', '欧阳女士'])
  t.same(shown(60, 'fine'), ['60-69岁', '张爷爷', '欧阳奶奶'])
  t.same(shown(85, 'fine'), ['80岁以上', '张爷爷', '欧阳奶奶'])
  t.same(shown(70, 'wide'), ['60岁以上', '张爷爷', '欧阳奶奶'])
  t.equal(maskedTitle('', 'female', 30, 'fine'), '某女士', 'no name: 某')
})
