// Figures in the article with transparent pixels and no light backdrop behind
// them (in dark mode such a figure's black text vanishes).
const out = [];
for (const img of document.querySelectorAll("article.bd-article img")) {
  if (!img.complete || !img.naturalWidth) continue;
  const canvas = document.createElement("canvas");
  canvas.width = Math.min(img.naturalWidth, 400);
  canvas.height = Math.max(1, Math.round(canvas.width * img.naturalHeight / img.naturalWidth));
  const ctx = canvas.getContext("2d");
  let data;
  try {
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  } catch (e) { continue; }
  let clear = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] < 250) clear += 1;
  if (clear / (data.length / 4) < 0.01) continue;
  const bg = getComputedStyle(img).backgroundColor;
  const m = bg.match(/rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/);
  const light = m && (m[4] === undefined || Number(m[4]) > 0.9) &&
    (Number(m[1]) + Number(m[2]) + Number(m[3])) / 3 > 200;
  if (!light) out.push(img.getAttribute("src"));
}
return out;
