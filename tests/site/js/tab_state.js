// For every label of one synced tab: [its input checked, its content shown, its text].
const [group, id] = arguments;
const sel = `.sd-tab-label[data-sync-group="${group}"][data-sync-id="${id}"]`;
return [...document.querySelectorAll(sel)].map((label) => {
  const input = document.getElementById(label.getAttribute("for"));
  const content = label.nextElementSibling;
  return [!!(input && input.checked),
          !!(content && getComputedStyle(content).display !== "none"),
          label.textContent.trim()];
});
