// What one load of a page shows: math, headings, tables, output boxes, tab rows,
// the sidebar and the page's width. Arguments: the output boxes' selector, and
// whether the window is wide (the primary sidebar shows).
const [outputSelector, wide] = arguments;
const article = document.querySelector("article.bd-article") || document.body;
const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
const firstLine = (el) => (el.textContent || "").trim().split("\n")[0].slice(0, 70);
const r = {};

// Math: typeset, and no raw TeX left in the text a reader sees.
r.hasMath = !!document.querySelector(".math, span.math, div.math");
r.mjx = document.querySelectorAll("mjx-container").length;
const clone = document.body.cloneNode(true);
clone.querySelectorAll("pre, code, script, style, textarea, mjx-container, noscript, .highlight")
  .forEach((el) => el.remove());
const text = clone.textContent;
r.rawTex = [];
for (const opener of ["\\(", "\\["]) {
  let at = text.indexOf(opener);
  if (at >= 0) r.rawTex.push(text.slice(Math.max(0, at - 10), at + 40).replace(/\s+/g, " "));
}

// Headings in the article, in order.
r.headings = [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(
  (h) => [Number(h.tagName[1]), h.textContent.replace("#", "").trim().slice(0, 60)]);

// Tables outside the theme's focusable scrolling wrapper.
r.bareTables = [...article.querySelectorAll("table")]
  .filter((t) => !t.closest(".pst-scrollable-table-container"))
  .map((t) => (t.className || "table") + ": " + firstLine(t));

// Output boxes.
r.outputs = 0;
r.figureReprs = [];
r.overflowing = [];
r.hiddenOverflow = [];
for (const box of document.querySelectorAll(outputSelector)) {
  r.outputs += 1;
  if (box.textContent.includes("<Figure size")) r.figureReprs.push(firstLine(box));
  if (!shown(box)) continue;
  const over = box.scrollWidth - box.clientWidth;
  if (over > 1) {
    r.overflowing.push([over, box.textContent.trim().slice(0, 400), firstLine(box)]);
    // Text wider than its box must be scrollable: the box or an ancestor up to
    // the output container must scroll, and none may clip it.
    let scrolls = false, clipped = false;
    for (let el = box; el && el !== article; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (["auto", "scroll"].includes(style.overflowX)) { scrolls = true; break; }
      if (["hidden", "clip"].includes(style.overflowX)) { clipped = true; break; }
    }
    if (!scrolls || clipped) r.hiddenOverflow.push([over, firstLine(box)]);
  }
}

// Tab sets whose labels take more than one row.
r.tabRows = [];
for (const set of document.querySelectorAll(".sd-tab-set")) {
  const labels = [...set.querySelectorAll(":scope > label")].filter(shown);
  // One row: every label overlaps every other vertically (the theme draws the
  // selected label a few pixels taller, so tops alone differ).
  const boxes = labels.map((l) => l.getBoundingClientRect());
  const top = Math.max(...boxes.map((b) => b.top));
  const bottom = Math.min(...boxes.map((b) => b.bottom));
  if (labels.length > 1 && top >= bottom) {
    r.tabRows.push(labels.map((l) => l.textContent.trim()).join(" | "));
  }
}

// An empty "Section Navigation" in a visible primary sidebar.
const sidebar = document.querySelector(".bd-sidebar-primary");
r.emptySectionNav = !!(sidebar && shown(sidebar) && wide &&
  /Section Navigation/.test(sidebar.textContent) &&
  !sidebar.querySelector("nav.bd-docs-nav a, .bd-docs-nav a"));

r.pageWidth = document.documentElement.scrollWidth;
r.viewport = window.innerWidth;
return r;
