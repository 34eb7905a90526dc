// The /query page: the query catalogue as forms, YASGUI as a free SPARQL editor on this server's /sparql, and the
// reader's saved queries. A plain ES module, served as is: no build step. Everything it asks goes to this server.
//
// A catalogue form that runs puts its query and values in the page's URL (/query?catalogue=name&param=value...),
// so the URL can be bookmarked or shared, and opening it runs the same query with the same values again. The
// results link to the same request as CSV and XLSX (?format=csv|xlsx on /queries/{name}), for spreadsheets and
// tools such as Excel's "From Web" that cannot send an Accept header.

import { $, element, failure, getJson, RESULTS_JSON } from "./workbench-api.js";
import { picker } from "./query-picker.js";
import { showResults } from "./query-results.js";
import { deleteQuery, saveQuery, savedQueries } from "./query-saved.js";

const QUERY_KEY = "catalogue"; // the URL parameter naming the catalogue query; the others are its parameters
const MAX_LINK = 30000; // the server refuses request lines over 32 KiB: longer editor queries get no link
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

function showError(message) {
  const box = $("#catalogue-error");
  box.textContent = message;
  box.hidden = !message;
}

// --- forms -------------------------------------------------------------------------------------------------

/** The input for one catalogue parameter, typed after its declared type, holding ``value``. */
async function input(parameter, value) {
  if (parameter.type === "iri") return picker(parameter, value);
  const id = `param-${parameter.name}`;
  const common = { id, name: parameter.name, required: parameter.required, "data-type": parameter.type };
  if (parameter.type === "boolean") {
    const choice = element("select", common);
    if (!parameter.default) choice.append(element("option", { value: "" }, "Either"));
    for (const option of ["true", "false"]) {
      choice.append(element("option", { value: option, selected: option === value }, option === "true" ? "Yes" : "No"));
    }
    return choice;
  }
  const kinds = {
    integer: { type: "number", step: "1" },
    decimal: { type: "number", step: "any" },
    date: { type: "date" },
    string: { type: "text" },
  };
  return element("input", { ...common, ...(kinds[parameter.type] || kinds.string), value });
}

let drawing = 0; // the latest form asked for; an older one that finishes late is dropped

/** Draw the form of ``query`` with ``values`` (name -> text) in place of the defaults. */
async function drawForm(query, values = new Map()) {
  const turn = ++drawing;
  const form = $("#catalogue-form");
  delete form.dataset.query;
  const parts = [];
  for (const parameter of query.parameters) {
    const help = parameter.description + (parameter.required ? " (required)" : "");
    const value = values.has(parameter.name) ? values.get(parameter.name) : parameter.default ?? "";
    parts.push(
      element("div", { class: "field" },
        element("label", { for: `param-${parameter.name}` }, parameter.name),
        await input(parameter, value),
        element("small", { class: "muted" }, help)),
    );
  }
  if (turn !== drawing) return false;
  if (!parts.length) parts.push(element("p", { class: "muted" }, "This query takes no parameters."));
  $("#catalogue-title").textContent = query.title;
  $("#catalogue-description").textContent = query.description;
  $("#catalogue-fields").replaceChildren(...parts);
  form.dataset.query = query.name; // the form is complete: tests wait for this
  form.hidden = false;
  return true;
}

/** The form's values as URL parameters; empty fields are left out so the server applies the defaults. */
function formParameters() {
  const params = new URLSearchParams();
  for (const field of $("#catalogue-fields").querySelectorAll("input:not(.picker-search), select")) {
    if (field.value !== "") params.append(field.name, field.value);
  }
  return params;
}

function withFormat(path, params, format) {
  const all = new URLSearchParams(params);
  all.set("format", format);
  return `${path}?${all}`;
}

/** The address of the page that reruns ``name`` with ``params``. */
function bookmark(name, params) {
  return `/query?${new URLSearchParams([[QUERY_KEY, name], ...params])}`;
}

let running = 0;

async function runCatalogue(name, params) {
  const mine = ++running;
  const path = `/queries/${encodeURIComponent(name)}`;
  const search = params.toString();
  showError("");
  $("#catalogue-count").textContent = "Running…";
  $("#catalogue-run").disabled = true;
  $("#catalogue-downloads").hidden = true;
  try {
    const data = await getJson(path + (search ? `?${search}` : ""), RESULTS_JSON);
    if (mine !== running) return;
    await showResults($("#catalogue-results"), $("#catalogue-count"), data);
    $("#catalogue-csv").href = withFormat(path, params, "csv");
    $("#catalogue-csv").download = `${name}.csv`;
    $("#catalogue-xlsx").href = withFormat(path, params, "xlsx");
    $("#catalogue-xlsx").download = `${name}.xlsx`;
    $("#catalogue-downloads").hidden = false;
  } catch (problem) {
    if (mine !== running) return;
    $("#catalogue-results").hidden = true;
    $("#catalogue-count").textContent = "";
    showError(problem.message);
  } finally {
    if (mine === running) $("#catalogue-run").disabled = false;
  }
}

// --- the catalogue and the URL -----------------------------------------------------------------------------

let byName = new Map();

/** The query and values a /query URL names, or null when it names none. */
function stateOf(location) {
  const url = new URLSearchParams(location.search);
  const name = url.get(QUERY_KEY);
  if (!name) return null;
  const params = new URLSearchParams([...url].filter(([key]) => key !== QUERY_KEY));
  return { name, params };
}

/** Show and run a query with given values (from the URL or a saved entry); ``push`` records it in the history. */
async function openState(state, push) {
  const query = byName.get(state.name);
  if (!query) {
    showError(`There is no catalogue query named “${state.name}”; choose one from the list.`);
    return;
  }
  $("#catalogue-select").value = state.name;
  showError("");
  if (!(await drawForm(query, new Map(state.params)))) return;
  if (push) record(state.name, state.params);
  await runCatalogue(state.name, state.params);
}

function record(name, params) {
  const target = bookmark(name, params);
  if (window.location.pathname + window.location.search !== target) window.history.pushState(null, "", target);
}

async function runSelected(event) {
  event.preventDefault();
  const name = $("#catalogue-select").value;
  const params = formParameters();
  record(name, params);
  await runCatalogue(name, params);
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

/** A SELECT in the editor is sent with labels=1, so the service adds a label column beside each IRI column; an
 * ASK or CONSTRUCT has no columns to label (and the service refuses the option for them). */
function askForLabels(yasgui) {
  const fit = (tab) => {
    const select = tab.getYasqe().getQueryType() === "SELECT";
    if (tab.vskgLabels === select) return; // setting the config fires change events of its own
    tab.vskgLabels = select;
    tab.setRequestConfig({ args: select ? [{ name: "labels", value: "1" }] : [] });
  };
  fit(yasgui.getTab());
  yasgui.on("tabChange", (_, tab) => fit(yasgui.getTab(tab) || yasgui.getTab()));
  yasgui.getTab().getYasqe().on("change", () => fit(yasgui.getTab()));
}

const editorText = (yasgui) => yasgui.getTab().getYasqe().getValue();

/** Point the editor's download links at /sparql?query=...&format=..., as the editor holds the query now. */
function linkEditorDownloads(yasgui) {
  const links = [$("#editor-csv"), $("#editor-xlsx")];
  const update = () => {
    const text = editorText(yasgui);
    const long = encodeURIComponent(text).length > MAX_LINK;
    for (const link of links) {
      if (long) link.removeAttribute("href");
      else link.href = withFormat("/sparql", new URLSearchParams({ query: text }), link.dataset.format);
    }
    $("#editor-too-long").hidden = !long;
  };
  for (const link of links) {
    for (const kind of ["pointerdown", "focus", "keydown"]) link.addEventListener(kind, update);
  }
  update();
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

// --- saved queries -----------------------------------------------------------------------------------------

function savedMessage(text) {
  $("#saved-message").textContent = text;
}

function describeEntry(entry) {
  if (entry.kind === "sparql") return "SPARQL: " + entry.text.replace(/\s+/g, " ").trim().slice(0, 90);
  const values = entry.params.map(([key, value]) => `${key}=${value}`).join(", ");
  return `${entry.query}${values ? ` (${values})` : ""}`;
}

function drawSaved(yasgui) {
  const entries = savedQueries();
  $("#saved-empty").hidden = entries.length > 0;
  $("#saved-list").replaceChildren(
    ...entries.map((entry) => {
      const load = element("button", { type: "button", class: "link saved-load" }, entry.name);
      const remove = element("button", { type: "button", class: "secondary saved-delete" }, "Delete");
      remove.setAttribute("aria-label", `Delete the saved query ${entry.name}`);
      load.addEventListener("click", () => loadSaved(entry, yasgui));
      remove.addEventListener("click", () => {
        deleteQuery(entry.name);
        savedMessage(`Deleted “${entry.name}”.`);
        drawSaved(yasgui);
      });
      return element("li", { class: "saved", "data-name": entry.name },
        load, " ", element("span", { class: "muted" }, describeEntry(entry)), " ", remove);
    }),
  );
}

async function loadSaved(entry, yasgui) {
  savedMessage("");
  if (entry.kind === "sparql") {
    yasgui.getTab().setQuery(entry.text);
    document.getElementById("editor").scrollIntoView({ behavior: "smooth" });
    return;
  }
  await openState({ name: entry.query, params: new URLSearchParams(entry.params) }, true);
  document.getElementById("catalogue").scrollIntoView({ behavior: "smooth" });
}

function startSaved(yasgui) {
  $("#save-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("#save-name").value.trim();
    const kind = event.submitter && event.submitter.value === "sparql" ? "sparql" : "catalogue";
    const form = $("#catalogue-form");
    if (!name) return savedMessage("Give the query a name first.");
    if (kind === "catalogue" && !form.dataset.query) return savedMessage("Choose a catalogue query first.");
    try {
      saveQuery(
        kind === "sparql"
          ? { name, kind, text: editorText(yasgui) }
          : { name, kind, query: form.dataset.query, params: [...formParameters()] },
      );
    } catch (problem) {
      return savedMessage(`Not saved: ${problem.message}`);
    }
    savedMessage(`Saved “${name}”.`);
    $("#save-name").value = "";
    drawSaved(yasgui);
  });
  drawSaved(yasgui);
}

// --- start -------------------------------------------------------------------------------------------------

async function start() {
  const yasgui = startEditor();
  window.vskgYasgui = yasgui; // for tests and for the curious in the console
  askForLabels(yasgui);
  linkEditorDownloads(yasgui);
  startSaved(yasgui);
  const select = $("#catalogue-select");
  try {
    const catalogue = await getJson("/queries");
    byName = new Map(catalogue.map((query) => [query.name, query]));
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
    window.addEventListener("popstate", () => {
      const state = stateOf(window.location);
      if (state) openState(state, false).catch((p) => showError(p.message));
    });
    const state = stateOf(window.location);
    if (state && byName.has(state.name)) {
      await openState(state, false);
    } else {
      await draw();
      if (state) showError(`There is no catalogue query named “${state.name}”; choose one from the list.`);
    }
  } catch (problem) {
    showError(`The catalogue could not be loaded: ${problem.message}`);
  }
}

start();
