// A searchable choice for one iri parameter of a catalogue query, fed by the store.
//
// The catalogue declares the class of an iri parameter's values (`class` in the query's header, listed by
// /queries); the picker offers that class's instances (subclasses included) by label, asking /sparql again as the
// reader types, so it stays quick on a large store. A parameter without a class searches every name (/api/search).
// A full IRI typed into the search box is offered as it is, so a value the store does not hold can still be sent.

import { element, labelsOf, select, sparqlString, writableIri, shortIri } from "./workbench-api.js";

const SHOWN = 200; // options at most; more means the reader narrows the search
const PAUSE = 200; // milliseconds after the last keystroke before the store is asked
const FULL_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/;

function instancesQuery(cls, text) {
  const needle = text.trim().toLowerCase();
  const filter = needle
    ? `FILTER(CONTAINS(LCASE(STR(?l)), ${sparqlString(needle)}) || CONTAINS(LCASE(STR(?s)), ${sparqlString(needle)}))`
    : "";
  return `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s (MIN(STR(?l)) AS ?label) WHERE {
  { SELECT DISTINCT ?s WHERE { ?s a ?type . ?type rdfs:subClassOf* <${cls}> . FILTER(isIRI(?s)) } }
  OPTIONAL { ?s rdfs:label|skos:prefLabel ?l }
  ${filter}
}
GROUP BY ?s
ORDER BY LCASE(MIN(STR(?l))) ?s
LIMIT ${SHOWN + 1}`;
}

/** [{iri, label}] matching ``text``, and whether there were more than shown. */
async function candidates(cls, text) {
  if (cls) {
    const data = await select(instancesQuery(cls, text));
    const rows = data.results.bindings.map((row) => ({
      iri: row.s.value,
      label: row.label ? row.label.value : row.s.value,
    }));
    return { found: rows.slice(0, SHOWN), more: rows.length > SHOWN };
  }
  if (!text.trim()) return { found: [], more: false };
  const q = text.trim().slice(0, 200); // the most /api/search takes
  const response = await fetch(`/api/search?${new URLSearchParams({ q, limit: "100" })}`);
  if (!response.ok) return { found: [], more: false };
  const body = await response.json();
  return { found: body.results.map((hit) => ({ iri: hit.iri, label: hit.label })), more: body.truncated };
}

const plural = (word) => (/[^aeiou]y$/.test(word) ? word.slice(0, -1) + "ies" : word + "s");

function noun(parameter) {
  const local = parameter.class ? parameter.class.replace(/^.*[#/]/, "") : "";
  return local ? local.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase() : "resource";
}

/**
 * The picker's elements: a search box and a <select> named after the parameter (the form sends the select).
 * ``initial`` is the value to start with (the URL's, else the default). Resolves once the options are in.
 */
export async function picker(parameter, initial) {
  const id = `param-${parameter.name}`;
  const kind = noun(parameter);
  const choice = element("select", { id, name: parameter.name, required: parameter.required, "data-type": "iri" });
  const search = element("input", {
    type: "search",
    id: `${id}-search`,
    class: "picker-search",
    placeholder: parameter.class ? `Search ${plural(kind)} by name` : "Search names, or paste a full IRI",
    "aria-label": `Search for the ${parameter.name}`,
    "aria-controls": id,
    autocomplete: "off",
    spellcheck: "false",
  });
  const status = element("small", { class: "picker-status muted", id: `${id}-status`, "aria-live": "polite" });
  const box = element("div", { class: "picker", "data-class": parameter.class || "" }, search, choice, status);
  const known = new Map(); // iri -> label, of every option shown so far

  let selected = initial || ""; // the value the form sends; a search changes it only to one of its matches
  choice.addEventListener("change", () => {
    selected = choice.value;
  });

  function fill(found, text) {
    const typed = text.trim();
    const offered = new Map(found.map((item) => [item.iri, item.label]));
    if (FULL_IRI.test(typed) && writableIri(typed) && !offered.has(typed)) offered.set(typed, known.get(typed) || typed);
    // Searching picks the first match unless the chosen value is one; with no match the choice stays as it was.
    if (typed && offered.size && !offered.has(selected)) selected = offered.keys().next().value;
    if (selected && !offered.has(selected)) offered.set(selected, known.get(selected) || selected);
    const options = [];
    if (!parameter.required && !parameter.default) options.push(element("option", { value: "" }, `Any ${kind}`));
    else if (!selected) options.push(element("option", { value: "" }, "Choose…"));
    const counts = new Map();
    for (const label of offered.values()) counts.set(label, (counts.get(label) || 0) + 1);
    for (const [iri, label] of offered) {
      known.set(iri, label);
      const shown = label === iri ? shortIri(iri) : counts.get(label) > 1 ? `${label} (${shortIri(iri)})` : label;
      options.push(element("option", { value: iri, title: iri }, shown));
    }
    choice.replaceChildren(...options);
    choice.value = selected;
  }

  let turn = 0;
  async function refresh(text) {
    const mine = ++turn;
    status.textContent = "Searching…";
    try {
      const { found, more } = await candidates(parameter.class, text);
      if (mine !== turn) return;
      fill(found, text);
      const shown = found.length;
      status.textContent = text.trim()
        ? `${shown}${more ? "+" : ""} matching “${text.trim()}”${more ? "; type more to narrow" : ""}`
        : parameter.class
          ? `${shown}${more ? " of more; type to narrow" : ""} ${shown === 1 ? kind : plural(kind)} in the store`
          : "Type to search the store's names";
      box.dataset.ready = String(mine); // tests wait for this
    } catch (problem) {
      if (mine === turn) status.textContent = `The store could not be searched: ${problem.message}`;
    }
  }

  let timer = null;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => refresh(search.value), PAUSE);
  });
  if (initial && writableIri(initial)) {
    try {
      const label = (await labelsOf([initial])).get(initial);
      if (label) known.set(initial, label);
    } catch {
      // the value then shows as its IRI
    }
  }
  await refresh("");
  return box;
}
