// Checks run in the page by tests/integration/test_browser_staff_reflow.py; returns a list of problems.
() => {
  const problems = [];
  const width = window.innerWidth;
  const scrolling = document.scrollingElement.scrollWidth;
  if (scrolling > width) problems.push(`page scrolls sideways: ${scrolling} px wide in ${width} px`);

  // every id a label, aria-describedby or aria-labelledby names is in the DOM, once
  for (const el of document.querySelectorAll('[aria-describedby], [aria-labelledby], label[for]')) {
    for (const name of ['aria-describedby', 'aria-labelledby', 'for']) {
      if (!el.hasAttribute(name)) continue;
      const ids = el.getAttribute(name).split(/\s+/).filter(Boolean);
      if (ids.length === 0) problems.push(`<${el.tagName.toLowerCase()} ${name}=""> names no id`);
      for (const id of ids) {
        const count = document.querySelectorAll(`[id="${CSS.escape(id)}"]`).length;
        if (count !== 1) problems.push(`<${el.tagName.toLowerCase()} ${name}="${id}">: ${count} elements with that id`);
      }
    }
  }

  // every data table scrolls inside a focusable, named region
  for (const table of document.querySelectorAll('table')) {
    const box = table.closest('.table-scroll');
    if (!box) { problems.push(`table ${table.id || table.className} is not in a scrolling box`); continue; }
    const ids = (box.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    const name = (box.getAttribute('aria-label') || ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ')).trim();
    if (box.getAttribute('role') !== 'region' || box.tabIndex !== 0 || !name)
      problems.push(`the box of table ${table.id || table.className} is not a focusable region with a name`);
    if (getComputedStyle(box).overflowX !== 'auto') problems.push(`the box of table ${table.id} does not scroll`);
  }

  // text contrast (WCAG 2.1: 4.5:1, 3:1 for large text) against the nearest opaque background
  const channel = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const parse = c => c.match(/[\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] === 1) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode;
    const el = text.parentElement;
    if (!text.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || el.closest('[aria-hidden="true"], .visually-hidden, option, script, style, canvas')) continue;
    const fg = parse(style.color);
    if (fg.length > 3 && fg[3] < 1) continue;  // translucent text: not used here
    const bg = background(el);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) problems.push(`contrast ${ratio.toFixed(2)} < ${needed}: "${text.textContent.trim().slice(0, 30)}" (${style.color} on rgb(${bg}))`);
  }
  return problems;
}
