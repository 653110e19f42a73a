// Run axe-core's WCAG 2 A and AA rules on the page (axe.min.js injected first).
// Argument: the CSS selectors excepted on this page. Calls back with every
// violating node, each marked with the excepted selector it lies in, if any.
const [excepted] = arguments;
const done = arguments[arguments.length - 1];
const options = {
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]},
  resultTypes: ["violations"],
};
axe.run(document, options).then((results) => {
  const nodes = [];
  for (const violation of results.violations) {
    for (const node of violation.nodes) {
      // A target of one selector is in this document (longer ones reach into frames).
      const element = node.target.length === 1 ? document.querySelector(node.target[0]) : null;
      nodes.push({
        rule: violation.id,
        impact: violation.impact,
        help: violation.help,
        target: node.target.join(" >>> "),
        html: node.html.slice(0, 160),
        summary: (node.failureSummary || "").replace(/\s+/g, " ").slice(0, 300),
        // The colours as the page has them now, beside axe's reading of them.
        colors: element ? [getComputedStyle(element).color, getComputedStyle(element).opacity] : null,
        excepted: excepted.find((selector) => element && element.closest(selector)) || null,
      });
    }
  }
  const kinds = ["violations", "passes", "incomplete", "inapplicable"];
  const rules = kinds.flatMap((kind) => results[kind].map((rule) => rule.id));
  done({version: axe.version, rules: rules, nodes: nodes});
}).catch((error) => done({error: String(error)}));
