// A SPARQL JSON result as a table: each IRI shown by its label, with the IRI itself beside it (compact, the full
// form in its title), linking to its page when this server has one. The labels come from one more query to /sparql
// with the result's IRIs in a VALUES block (labelsOf in workbench-api.js).

import { element, labelsOf, pageOf, shortIri } from "./workbench-api.js";

const NUMERIC = /#(integer|decimal|double|float|long|int|short|nonNegativeInteger|positiveInteger)$/;

function iriCell(cell, iri, label) {
  const page = pageOf(iri);
  const text = label || (page ? iri : shortIri(iri));
  cell.dataset.iri = iri;
  cell.append(page ? element("a", { href: page, title: iri }, text) : element("span", { title: iri }, text));
  if (label) cell.append(" ", element("code", { class: "iri", title: iri }, shortIri(iri)));
}

function termCell(variable, term, labels) {
  const cell = element("td", { "data-var": variable });
  if (!term) return cell;
  if (term.type === "uri") {
    iriCell(cell, term.value, labels.get(term.value));
  } else if (term.type === "bnode") {
    cell.append("_:" + term.value);
  } else {
    cell.append(term.value);
    if (term.datatype && NUMERIC.test(term.datatype)) cell.className = "num";
  }
  return cell;
}

/** The IRIs of a result, for one label query. */
export function irisOf(data) {
  const found = [];
  for (const row of data.results ? data.results.bindings : []) {
    for (const term of Object.values(row)) if (term.type === "uri") found.push(term.value);
  }
  return found;
}

/** Fill ``table`` with the result; resolves to the number of rows (null for an ASK answer, shown in ``count``). */
export async function showResults(table, count, data) {
  table.replaceChildren();
  delete table.dataset.labelled;
  if (typeof data.boolean === "boolean") {
    table.hidden = true;
    count.dataset.rows = "";
    count.textContent = `Answer: ${data.boolean ? "yes" : "no"}`;
    return null;
  }
  let labels = new Map();
  try {
    labels = await labelsOf(irisOf(data));
  } catch {
    // the table still shows, with IRIs only
  }
  const variables = data.head.vars;
  const rows = data.results.bindings;
  const headRow = element("tr", {}, ...variables.map((name) => element("th", { scope: "col" }, name)));
  const body = element(
    "tbody",
    {},
    ...rows.map((row) => element("tr", {}, ...variables.map((v) => termCell(v, row[v], labels)))),
  );
  table.append(element("thead", {}, headRow), body);
  table.hidden = false;
  table.dataset.labelled = String(labels.size);
  count.dataset.rows = String(rows.length);
  count.textContent = `${rows.length} ${rows.length === 1 ? "row" : "rows"}`;
  return rows.length;
}
