// The /validation page: send a model to POST /validate and show its SHACL report, one block per focus node.
// A plain ES module, served as is: no build step.

const SEVERITIES = ["Violation", "Warning", "Info"];
const EXTENSIONS = {
  "text/turtle": "ttl",
  "application/trig": "trig",
  "application/n-triples": "nt",
  "application/n-quads": "nq",
  "application/rdf+xml": "rdf",
  "application/ld+json": "jsonld",
};
// Short forms for the namespaces a report mentions most, so a finding reads "vskg:waitTimeHours".
const PREFIXES = [
  ["vskgsh:", "https://w3id.org/vskg/shapes#"],
  ["vskg:", "https://w3id.org/vskg/ontology#"],
  ["rdfs:", "http://www.w3.org/2000/01/rdf-schema#"],
  ["rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
  ["skos:", "http://www.w3.org/2004/02/skos/core#"],
  ["org:", "http://www.w3.org/ns/org#"],
  ["sh:", "http://www.w3.org/ns/shacl#"],
];

const $ = (selector) => document.querySelector(selector);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  node.append(...children);
  return node;
}

function compact(iri) {
  for (const [prefix, namespace] of PREFIXES) {
    if (iri.startsWith(namespace) && iri.length > namespace.length) return prefix + iri.slice(namespace.length);
  }
  return iri;
}

/** The model to check as one multipart upload: every chosen file, and the pasted text as one more file. */
function upload() {
  const body = new FormData();
  for (const file of $("#validation-file").files) body.append("file", file, file.name);
  const text = $("#validation-text").value;
  if (text.trim()) {
    const media = $("#validation-format").value;
    body.append("file", new Blob([text], { type: media }), `pasted.${EXTENSIONS[media] || "ttl"}`);
  }
  return body.has("file") ? body : null;
}

function showError(message) {
  const box = $("#validation-error");
  box.textContent = message;
  box.hidden = !message;
}

function summary(report) {
  const verdict = report.conforms
    ? element("span", { class: "badge ok", id: "validation-conforms", "data-conforms": "true" }, "Conforms")
    : element("span", { class: "badge violation", id: "validation-conforms", "data-conforms": "false" },
      "Does not conform");
  const figures = [element("div", { class: "figure" }, element("div", { class: "value" }, verdict))];
  for (const severity of SEVERITIES) {
    const count = report.counts[severity] ?? 0;
    figures.push(
      element("div", { class: "figure", "data-severity": severity },
        element("div", { class: "value" }, String(count)),
        element("div", { class: "label" }, severity === "Info" ? "Infos" : `${severity}s`)),
    );
  }
  return figures;
}

function detail(term, value) {
  if (!value) return [];
  return [element("dt", {}, term), element("dd", { class: term, title: value }, compact(value))];
}

function finding(result) {
  const severity = result.severity.toLowerCase();
  return element("li", { class: `finding ${severity}`, "data-severity": result.severity },
    element("span", { class: `badge ${severity}` }, result.severity),
    " ",
    element("span", { class: "message" }, result.message || "(the shape gives no message)"),
    element("dl", {},
      ...detail("path", result.path),
      ...detail("value", result.value),
      ...detail("shape", result.source_shape)));
}

/** Findings grouped by focus node, groups in the order the report first names them (worst severity first). */
function groups(results) {
  const byFocus = new Map();
  for (const result of results) {
    if (!byFocus.has(result.focus_node)) byFocus.set(result.focus_node, []);
    byFocus.get(result.focus_node).push(result);
  }
  return [...byFocus].map(([focus, found]) =>
    element("section", { class: "focus-node", "data-focus": focus },
      element("h3", { title: focus }, compact(focus)),
      element("ul", { class: "findings" }, ...found.map(finding))));
}

function showReport(report) {
  $("#validation-summary").replaceChildren(...summary(report));
  const findings = report.results.length
    ? groups(report.results)
    : [element("p", { class: "muted" }, "No findings: the model meets every shape.")];
  $("#validation-findings").replaceChildren(...findings);
  $("#validation-report").hidden = false;
}

async function validate(event) {
  event.preventDefault();
  showError("");
  $("#validation-report").hidden = true;
  const body = upload();
  if (!body) {
    showError("Choose a file or paste a document to validate.");
    return;
  }
  const status = $("#validation-status");
  const button = $("#validation-run");
  status.textContent = "Validating…";
  button.disabled = true;
  try {
    const response = await fetch("/validate", { method: "POST", body, headers: { Accept: "application/json" } });
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      const message = answer && answer.error ? answer.error.message : `${response.status} ${response.statusText}`;
      throw new Error(message);
    }
    showReport(answer);
    status.textContent = "";
  } catch (problem) {
    status.textContent = "";
    showError(problem.message);
  } finally {
    button.disabled = false;
  }
}

$("#validation-form").addEventListener("submit", validate);
