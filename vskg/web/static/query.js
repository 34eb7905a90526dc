// The /query page: the query catalogue as forms, and YASGUI as a free SPARQL editor on this server's /sparql.
// A plain ES module, served as is: no build step. Everything it asks goes to this server's own HTTP API.

const VSKG = "https://w3id.org/vskg/";
const RESULTS_JSON = "application/sparql-results+json";
const IRI_PATTERN = "[A-Za-z][A-Za-z0-9+.\\-]*:[^\\s<>\"]+";
const NUMERIC = /#(integer|decimal|double|float|long|int|short|nonNegativeInteger|positiveInteger)$/;

const DEFAULT_QUERY = `PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Every value stream, of any kind, with its label and the organisation that operates it.
SELECT DISTINCT ?stream ?label ?organisation
WHERE {
  ?stream a/rdfs:subClassOf* vskg:ValueStream ;
          rdfs:label ?label .
  OPTIONAL { ?stream vskg:operatedBy/rdfs:label ?organisation }
}
ORDER BY ?label
`;

const $ = (selector) => document.querySelector(selector);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children);
  return node;
}

/** The message of an API error body ({"error": {"status", "message"}}), else the status line. */
async function failure(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && body.error && body.error.message) message = body.error.message;
  } catch {
    // not JSON: keep the status line
  }
  return new Error(message);
}

async function getJson(url, accept = "application/json") {
  const response = await fetch(url, { headers: { Accept: accept } });
  if (!response.ok) throw await failure(response);
  return response.json();
}

// --- results -----------------------------------------------------------------------------------------------

/** A table cell for one RDF term: vskg IRIs link to their page under /id/, other IRIs stay plain text. */
function termCell(variable, term) {
  const cell = element("td", { "data-var": variable });
  if (!term) return cell;
  if (term.type === "uri") {
    if (term.value.startsWith(VSKG) && term.value.length > VSKG.length) {
      cell.append(element("a", { href: "/id/" + term.value.slice(VSKG.length) }, term.value));
    } else {
      cell.append(term.value);
    }
  } else if (term.type === "bnode") {
    cell.append("_:" + term.value);
  } else {
    cell.append(term.value);
    if (term.datatype && NUMERIC.test(term.datatype)) cell.className = "num";
  }
  return cell;
}

function showResults(data) {
  const table = $("#catalogue-results");
  const count = $("#catalogue-count");
  table.replaceChildren();
  if (typeof data.boolean === "boolean") {
    table.hidden = true;
    count.dataset.rows = "";
    count.textContent = `Answer: ${data.boolean ? "yes" : "no"}`;
    return;
  }
  const variables = data.head.vars;
  const rows = data.results.bindings;
  const headRow = element("tr", {}, ...variables.map((name) => element("th", { scope: "col" }, name)));
  const body = element("tbody", {}, ...rows.map((row) => element("tr", {}, ...variables.map((v) => termCell(v, row[v])))));
  table.append(element("thead", {}, headRow), body);
  table.hidden = false;
  count.dataset.rows = String(rows.length);
  count.textContent = `${rows.length} ${rows.length === 1 ? "row" : "rows"}`;
}

function showError(message) {
  const box = $("#catalogue-error");
  box.textContent = message;
  box.hidden = !message;
}

// --- forms -------------------------------------------------------------------------------------------------

let streams = null; // [{iri, label}], fetched once for every "stream" parameter

async function valueStreams() {
  if (streams === null) {
    const data = await getJson("/queries/value-streams", RESULTS_JSON);
    const seen = new Map();
    for (const row of data.results.bindings) {
      seen.set(row.stream.value, row.streamLabel ? row.streamLabel.value : row.stream.value);
    }
    streams = [...seen].map(([iri, label]) => ({ iri, label })).sort((a, b) => a.label.localeCompare(b.label));
  }
  return streams;
}

/** The input for one catalogue parameter, typed after its declared type. */
async function input(parameter) {
  const id = `param-${parameter.name}`;
  const common = { id, name: parameter.name, required: parameter.required, "data-type": parameter.type };
  const fallback = parameter.default ?? "";
  if (parameter.type === "iri" && parameter.name === "stream") {
    const select = element("select", common);
    if (!parameter.default) select.append(element("option", { value: "" }, parameter.required ? "Choose…" : "Any stream"));
    for (const stream of await valueStreams()) {
      select.append(element("option", { value: stream.iri, selected: stream.iri === fallback }, stream.label));
    }
    return select;
  }
  if (parameter.type === "boolean") {
    const select = element("select", common);
    if (!parameter.default) select.append(element("option", { value: "" }, "Either"));
    for (const value of ["true", "false"]) {
      select.append(element("option", { value, selected: value === fallback }, value === "true" ? "Yes" : "No"));
    }
    return select;
  }
  const kinds = {
    iri: { type: "text", pattern: IRI_PATTERN, placeholder: "https://…", spellcheck: "false" },
    integer: { type: "number", step: "1" },
    decimal: { type: "number", step: "any" },
    date: { type: "date" },
    string: { type: "text" },
  };
  return element("input", { ...common, ...(kinds[parameter.type] || kinds.string), value: fallback });
}

let drawing = 0; // the latest form asked for; an older one that finishes late is dropped

async function drawForm(query) {
  const turn = ++drawing;
  const form = $("#catalogue-form");
  delete form.dataset.query;
  const parts = [];
  for (const parameter of query.parameters) {
    const help = parameter.description + (parameter.required ? " (required)" : "");
    parts.push(
      element("div", { class: "field" },
        element("label", { for: `param-${parameter.name}` }, parameter.name),
        await input(parameter),
        element("small", { class: "muted" }, help)),
    );
  }
  if (turn !== drawing) return;
  if (!parts.length) parts.push(element("p", { class: "muted" }, "This query takes no parameters."));
  $("#catalogue-title").textContent = query.title;
  $("#catalogue-description").textContent = query.description;
  $("#catalogue-fields").replaceChildren(...parts);
  form.dataset.query = query.name; // the form is complete: tests wait for this
  form.hidden = false;
}

/** The form's values as URL parameters; empty fields are left out so the server applies the defaults. */
function formParameters() {
  const params = new URLSearchParams();
  for (const field of $("#catalogue-fields").querySelectorAll("input, select")) {
    if (field.value !== "") params.append(field.name, field.value);
  }
  return params;
}

async function runSelected(event) {
  event.preventDefault();
  const name = $("#catalogue-select").value;
  const params = formParameters();
  const search = params.toString();
  const url = `/queries/${encodeURIComponent(name)}` + (search ? `?${search}` : "");
  showError("");
  $("#catalogue-count").textContent = "Running…";
  $("#catalogue-run").disabled = true;
  try {
    showResults(await getJson(url, RESULTS_JSON));
  } catch (problem) {
    $("#catalogue-results").hidden = true;
    $("#catalogue-count").textContent = "";
    showError(problem.message);
  } finally {
    $("#catalogue-run").disabled = false;
  }
}

// --- the SPARQL editor -------------------------------------------------------------------------------------

function startEditor() {
  const endpoint = new URL("/sparql", window.location.origin).href;
  // LOV's class and property completers ask lov.linkeddata.es; keep the two that work offline. Set on the
  // defaults because YASGUI merges a configured list into them index by index rather than replacing it.
  window.Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  return new window.Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint }], keys: [] },
    persistenceId: null,
    autofocus: false,
    yasqe: { value: DEFAULT_QUERY, prefixCcApi: null, autocompleters: ["variables", "prefixes"] },
  });
}

async function openInEditor(yasgui) {
  const name = $("#catalogue-select").value;
  const response = await fetch(`/query/${encodeURIComponent(name)}.rq`);
  if (!response.ok) throw await failure(response);
  const values = [...formParameters()].map(([key, value]) => `#   ?${key} = ${value}`);
  const note = values.length
    ? ["# In the editor the catalogue parameters are free variables; the form's values were:", ...values, ""]
    : [];
  yasgui.getTab().setQuery(note.join("\n") + (await response.text()));
  document.getElementById("editor").scrollIntoView({ behavior: "smooth" });
}

// --- start -------------------------------------------------------------------------------------------------

async function start() {
  const yasgui = startEditor();
  window.vskgYasgui = yasgui; // for tests and for the curious in the console
  const select = $("#catalogue-select");
  try {
    const catalogue = await getJson("/queries");
    const byName = new Map(catalogue.map((query) => [query.name, query]));
    select.replaceChildren(...catalogue.map((q) => element("option", { value: q.name }, `${q.title} (${q.name})`)));
    select.disabled = false;
    const draw = async () => {
      showError("");
      try {
        await drawForm(byName.get(select.value));
      } catch (problem) {
        showError(problem.message);
      }
    };
    select.addEventListener("change", draw);
    $("#catalogue-form").addEventListener("submit", runSelected);
    $("#catalogue-edit").addEventListener("click", () => openInEditor(yasgui).catch((p) => showError(p.message)));
    await draw();
  } catch (problem) {
    showError(`The catalogue could not be loaded: ${problem.message}`);
  }
}

start();
