// Sorting, filtering and downloads for the list tables (table.sortable): a small local module, no library, no
// network. Without it the tables are plain and complete; with it each column heading becomes a button that sorts
// the rows (again to reverse), a filter box above the table hides the rows that do not contain its text, and two
// buttons download the rows shown, in their order, as CSV or XLSX (table-export.js), with each row's IRI.

import { csvText, save, tableRows, xlsxBlob } from "./table-export.js";

function sortValue(cell) {
  const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent;
  return raw.trim();
}

function compare(a, b, numeric) {
  if (numeric) {
    const x = a === "" ? Infinity : Number(a);
    const y = b === "" ? Infinity : Number(b);
    return x - y;
  }
  return a.localeCompare(b, undefined, { sensitivity: "base", numeric: true });
}

function makeSortable(table) {
  const body = table.tBodies[0];
  const headings = Array.from(table.tHead.rows[0].cells);
  headings.forEach((th, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      headings.forEach((other) => other.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const rows = Array.from(body.rows);
      const numeric = rows.some((row) => row.cells[index] && row.cells[index].dataset.type === "number");
      rows.sort((r, s) => {
        const order = compare(sortValue(r.cells[index]), sortValue(s.cells[index]), numeric);
        return ascending ? order : -order;
      });
      body.append(...rows);
    });
  });
}

function makeFilterable(table) {
  const label = document.createElement("label");
  label.className = "table-filter";
  label.textContent = (table.dataset.filterLabel || "Filter") + " ";
  const input = document.createElement("input");
  input.type = "search";
  input.setAttribute("aria-controls", table.id || "");
  const count = document.createElement("span");
  count.className = "muted small";
  count.setAttribute("aria-live", "polite");
  label.append(input, " ", count);
  table.before(label);
  input.addEventListener("input", () => {
    const needle = input.value.trim().toLowerCase();
    let shown = 0;
    for (const row of table.tBodies[0].rows) {
      const visible = !needle || row.textContent.toLowerCase().includes(needle);
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    count.textContent = needle ? `${shown} of ${table.tBodies[0].rows.length} rows` : "";
  });
}

/** A name for the downloaded file: the table's data-export, else the page's title, as lower-case words. */
function fileName(table) {
  const title = table.dataset.export || document.title.replace(/\s*·\s*vskg\s*$/, "") || "table";
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "table";
}

function makeDownloadable(table) {
  const numeric = Array.from(table.tHead.rows[0].cells, (_, index) =>
    Array.from(table.tBodies[0].rows).some((row) => row.cells[index] && row.cells[index].dataset.type === "number"),
  );
  const button = (format, text) => {
    const node = document.createElement("button");
    node.type = "button";
    node.className = "secondary";
    node.dataset.format = format;
    node.textContent = text;
    return node;
  };
  const csv = button("csv", "CSV");
  const xlsx = button("xlsx", "XLSX");
  const box = document.createElement("div");
  box.className = "table-downloads";
  box.append("Download the rows shown:", csv, xlsx);
  table.before(box);
  csv.addEventListener("click", () => {
    save(new Blob([csvText(tableRows(table))], { type: "text/csv;charset=utf-8" }), `${fileName(table)}.csv`);
  });
  xlsx.addEventListener("click", () => save(xlsxBlob(tableRows(table), fileName(table), numeric), `${fileName(table)}.xlsx`));
}

for (const table of document.querySelectorAll("table.sortable, table[data-export]")) {
  if (!table.tHead || !table.tBodies.length) continue;
  if (table.classList.contains("sortable")) {
    makeSortable(table);
    makeFilterable(table);
  }
  makeDownloadable(table);
}
