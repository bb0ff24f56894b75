// Small conveniences on top of pages that work without JavaScript. Served from our origin
// (the content-security policy allows no inline script).
'use strict'

// A photo chosen for upload is shown before it is sent, and a file the server would refuse
// (not an image or PDF, or over the limit) is named at once instead of after the upload.
function previewUpload (input) {
  const preview = document.getElementById(input.dataset.preview)
  const message = document.getElementById(input.dataset.message)
  const limit = Number(input.dataset.maxBytes || 0)
  const file = input.files && input.files[0]
  const name = document.getElementById(input.dataset.name)
  if (name) name.textContent = file ? `已选择：${file.name}` : '还没有选择照片'
  if (message) message.textContent = ''
  if (preview) preview.hidden = true
  if (!file) return
  const accepted = /^image\/(jpeg|png)$/.test(file.type) || file.type === 'application/pdf'
  if (!accepted || (limit > 0 && file.size > limit)) {
    if (message) message.textContent = accepted ? '照片不能超过 5 MB，请换一张或拍照时降低分辨率。' : '请选择 JPG、PNG 照片或 PDF 文件。'
    input.value = ''
    if (name) name.textContent = '还没有选择照片'
    return
  }
  if (!preview || !file.type.startsWith('image/')) return
  const reader = new FileReader()
  reader.onload = () => { preview.src = String(reader.result); preview.hidden = false }
  reader.readAsDataURL(file)
}

document.addEventListener('change', event => {
  const target = event.target
  if (target instanceof HTMLInputElement && target.type === 'file' && target.dataset.preview) previewUpload(target)
  // Other files (a roster): the chosen file's name beside the button that chose it.
  const chosen = target instanceof HTMLInputElement && target.type === 'file' && document.getElementById(target.dataset.chosen || '')
  if (chosen) chosen.textContent = target.files && target.files[0] ? `已选择：${target.files[0].name}` : '还没有选择文件'
})

// Other file fields (a department's data file, a handling record) name the file chosen.
document.addEventListener('change', event => {
  const target = event.target
  if (!(target instanceof HTMLInputElement) || target.type !== 'file' || target.dataset.preview || !target.dataset.name) return
  const name = document.getElementById(target.dataset.name)
  const file = target.files && target.files[0]
  if (name) name.textContent = file ? `已选择：${file.name}` : '还没有选择文件'
})

// A part of a page that could not be loaded (the server failed, or the network did): say so
// where the person is looking, instead of leaving the page as if nothing had been asked.
function showTrouble (text) {
  const main = document.getElementById('main')
  if (!main) return
  let box = document.getElementById('trouble')
  if (!box) {
    box = document.createElement('p')
    box.id = 'trouble'
    box.className = 'flash error'
    box.setAttribute('role', 'alert')
    main.prepend(box)
  }
  box.textContent = text
  box.scrollIntoView({ block: 'nearest' })
}
document.addEventListener('htmx:responseError', () => showTrouble('出错了，操作没有完成。请刷新页面后再试。'))
document.addEventListener('htmx:sendError', () => showTrouble('网络连接中断，操作没有完成。请检查网络后再试。'))

// The header's menus on a desk (<details>, usable without script): one open at a time, and a
// click elsewhere or Escape closes it.
document.addEventListener('toggle', event => {
  const opened = event.target
  if (!(opened instanceof HTMLDetailsElement) || !opened.classList.contains('nav-group') || !opened.open) return
  for (const other of document.querySelectorAll('details.nav-group[open]')) if (other !== opened) other.open = false
}, true)
document.addEventListener('click', event => {
  for (const open of document.querySelectorAll('details.nav-group[open]')) if (!open.contains(event.target)) open.open = false
})
document.addEventListener('keydown', event => {
  if (event.key !== 'Escape') return
  for (const open of document.querySelectorAll('details.nav-group[open]')) { open.open = false; open.querySelector('summary')?.focus() }
})
