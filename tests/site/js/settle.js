// Wait until a loaded page is as a reader sees it: fonts, MathJax, every image
// decoded, the theme's debounced handlers run. Calls back with null or an error.
const done = arguments[arguments.length - 1];
(async () => {
  await document.fonts.ready;
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  await new Promise((r) => setTimeout(r, 350));  // the theme's debounced handlers
  done(null);
})().catch((e) => done(String(e)));
