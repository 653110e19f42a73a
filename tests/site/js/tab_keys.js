// The synced tabs on the page, each once, as "group--id".
const keys = [];
for (const label of document.querySelectorAll(".sd-tab-label[data-sync-group][data-sync-id]")) {
  const key = label.dataset.syncGroup + "--" + label.dataset.syncId;
  if (!keys.includes(key)) keys.push(key);
}
return keys;
