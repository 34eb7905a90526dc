// What the workbench's query scripts share: building elements, asking this server's HTTP API, writing SPARQL terms.
// A plain ES module, no build step; every request goes to this server (/queries, /sparql, /api/search).

export const VSKG = "https://w3id.org/vskg/";
export const RESULTS_JSON = "application/sparql-results+json";

// Prefixes for showing an IRI compactly beside its label; the full IRI stays in the cell's title and in downloads.
const SHORT = [
  ["data:", "https://w3id.org/vskg/data/"],
  ["vskg:", "https://w3id.org/vskg/ontology#"],
  ["am:", "https://w3id.org/vskg/archimate#"],
  ["scheme:", "https://w3id.org/vskg/scheme/"],
  ["skos:", "http://www.w3.org/2004/02/skos/core#"],
  ["org:", "http://www.w3.org/ns/org#"],
  ["unit:", "http://qudt.org/vocab/unit/"],
];

export const $ = (selector) => document.querySelector(selector);

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children);
  return node;
}

/** The message of an API error body ({"error": {"status", "message"}}), else the status line. */
export async function failure(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && body.error && body.error.message) message = body.error.message;
  } catch {
    // not JSON: keep the status line
  }
  return new Error(message);
}

export async function getJson(url, accept = "application/json") {
  const response = await fetch(url, { headers: { Accept: accept } });
  if (!response.ok) throw await failure(response);
  return response.json();
}

/** Run a SELECT on /sparql (the union of the store's graphs); the SPARQL JSON results. */
export async function select(query) {
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { Accept: RESULTS_JSON, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ query }),
  });
  if (!response.ok) throw await failure(response);
  return response.json();
}

/** True for an IRI that can be written between < and > in a query (what a result or a user can hand us). */
export function writableIri(iri) {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/.test(iri);
}

/** A SPARQL string literal holding ``text`` exactly: quotes, backslashes and line breaks escaped. */
export function sparqlString(text) {
  const escapes = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };
  return '"' + String(text).replace(/[\\"\n\r\t\b\f]/g, (c) => escapes[c]) + '"';
}

/** The IRI with a known prefix (data:banking/mortgage-lending), or whole when none fits. */
export function shortIri(iri) {
  for (const [prefix, namespace] of SHORT) {
    if (iri.startsWith(namespace) && iri.length > namespace.length) return prefix + iri.slice(namespace.length);
  }
  return iri;
}

/** The page of a vskg resource (/id/...), or null for IRIs this server does not serve. */
export function pageOf(iri) {
  return iri.startsWith(VSKG) && iri.length > VSKG.length ? "/id/" + iri.slice(VSKG.length) : null;
}

const LABELS_AT_ONCE = 400; // IRIs per query: keeps the query text well under the server's size limit
const LABELS_AT_MOST = 4000; // a result with more distinct IRIs shows the rest without labels

function preference(term) {
  const language = term["xml:lang"] || "";
  return language === "en" || language.startsWith("en-") ? 0 : language === "" ? 1 : 2;
}

/** The label of each IRI that has one (rdfs:label, skos:prefLabel or an ArchiMate name), English first. */
export async function labelsOf(iris) {
  const wanted = [...new Set(iris)].filter(writableIri).slice(0, LABELS_AT_MOST);
  const best = new Map(); // iri -> [preference, label]
  for (let start = 0; start < wanted.length; start += LABELS_AT_ONCE) {
    const values = wanted.slice(start, start + LABELS_AT_ONCE).map((iri) => `<${iri}>`).join(" ");
    const data = await select(`PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX am: <https://w3id.org/vskg/archimate#>
SELECT ?s ?label WHERE {
  VALUES ?s { ${values} }
  VALUES ?p { rdfs:label skos:prefLabel am:name }
  ?s ?p ?label . FILTER(isLiteral(?label))
}`);
    for (const row of data.results.bindings) {
      const candidate = [preference(row.label), row.label.value];
      const known = best.get(row.s.value);
      if (!known || candidate[0] < known[0] || (candidate[0] === known[0] && candidate[1] < known[1])) {
        best.set(row.s.value, candidate);
      }
    }
  }
  return new Map([...best].map(([iri, [, label]]) => [iri, label]));
}
