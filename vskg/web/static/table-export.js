// A table of a page as CSV or XLSX, made in the browser: for the list pages, which have no query behind them that
// could answer in those formats. No library and no network: the XLSX is a small Office Open XML workbook (one sheet,
// cells as inline strings or numbers) in a ZIP archive whose entries are stored, not compressed.
//
// CSV cells follow vskg's rule for files meant for spreadsheets (vskg/csvsafe.py): a cell that a spreadsheet
// would run as a formula (=, +, -, @, TAB or CR first, after any apostrophes) gets one more apostrophe in front,
// unless it is only a number with signs. XLSX cells are typed as text, which a spreadsheet never runs.

const TRIGGERS = "=+-@\t\r";
const SIGNED_NUMBER = /^[+-]+(?:\d+(?:\.\d+)?)?$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** The table as rows of text (the heading row first); rows the filter hides are left out. */
export function tableRows(table, withIri = true) {
  const clean = (node) => node.textContent.replace(/\s+/g, " ").trim();
  const head = Array.from(table.tHead.rows[0].cells, clean);
  const body = Array.from(table.tBodies[0].rows).filter((row) => !row.hidden);
  const iris = withIri && body.some((row) => row.dataset.iri);
  const rows = [iris ? [...head, "IRI"] : head];
  for (const row of body) {
    const cells = Array.from(row.cells, clean);
    rows.push(iris ? [...cells, row.dataset.iri || ""] : cells);
  }
  return rows;
}

export function csvSafe(cell) {
  const rest = cell.replace(/^'+/, "");
  if (!rest || !TRIGGERS.includes(rest[0])) return cell;
  return rest !== cell || !SIGNED_NUMBER.test(cell) ? "'" + cell : cell;
}

/** RFC 4180 CSV, CRLF line ends, a byte order mark so that spreadsheets read it as UTF-8. */
export function csvText(rows) {
  const quote = (cell) => {
    const safe = csvSafe(cell);
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return "\uFEFF" + rows.map((row) => row.map(quote).join(",")).join("\r\n") + "\r\n";
}

// --- XLSX -----------------------------------------------------------------------------------------------------

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships";

function xml(text) {
  // characters XML 1.0 cannot hold at all are dropped; the markup characters are escaped
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function column(index) {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function sheetXml(rows, numeric) {
  const lines = rows.map((row, r) => {
    const cells = row.map((value, c) => {
      const ref = `${column(c)}${r + 1}`;
      if (r > 0 && numeric[c] && NUMBER.test(value)) return `<c r="${ref}"><v>${value}</v></c>`;
      const style = r === 0 ? ' s="1"' : "";
      return `<c r="${ref}" t="inlineStr"${style}><is><t xml:space="preserve">${xml(value)}</t></is></c>`;
    });
    return `<row r="${r + 1}">${cells.join("")}</row>`;
  });
  return `${XML_HEAD}<worksheet xmlns="${MAIN}"><sheetData>${lines.join("")}</sheetData></worksheet>`;
}

function workbookFiles(rows, sheetName, numeric) {
  const name = xml(sheetName.replace(/[[\]:*?/\\]/g, " ").slice(0, 31) || "Sheet1");
  const type = (part) => `application/vnd.openxmlformats-officedocument.spreadsheetml.${part}+xml`;
  return [
    [
      "[Content_Types].xml",
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        `<Override PartName="/xl/workbook.xml" ContentType="${type("sheet.main")}"/>` +
        `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${type("worksheet")}"/>` +
        `<Override PartName="/xl/styles.xml" ContentType="${type("styles")}"/></Types>`,
    ],
    [
      "_rels/.rels",
      `${XML_HEAD}<Relationships xmlns="${PACKAGE_RELS}">` +
        `<Relationship Id="rId1" Type="${RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      "xl/workbook.xml",
      `${XML_HEAD}<workbook xmlns="${MAIN}" xmlns:r="${RELS}">` +
        `<sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `${XML_HEAD}<Relationships xmlns="${PACKAGE_RELS}">` +
        `<Relationship Id="rId1" Type="${RELS}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${RELS}/styles" Target="styles.xml"/></Relationships>`,
    ],
    [
      "xl/styles.xml",
      `${XML_HEAD}<styleSheet xmlns="${MAIN}">` +
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>' +
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
        '<fills count="2"><fill><patternFill patternType="none"/></fill>' +
        '<fill><patternFill patternType="gray125"/></fill></fills>' +
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    ],
    ["xl/worksheets/sheet1.xml", sheetXml(rows, numeric)],
  ];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A ZIP archive of [name, text] entries, stored uncompressed (method 0), dated 1980-01-01. */
function zip(entries) {
  const encoder = new TextEncoder();
  const parts = [];
  const directory = [];
  let offset = 0;
  const header = (size) => new DataView(new ArrayBuffer(size));
  for (const [name, text] of entries) {
    const nameBytes = encoder.encode(name);
    const data = encoder.encode(text);
    const crc = crc32(data);
    const local = header(30);
    [[0, 0x04034b50, 4], [4, 20, 2], [6, 0x0800, 2], [8, 0, 2], [10, 0, 2], [12, 0x21, 2], [14, crc, 4],
      [18, data.length, 4], [22, data.length, 4], [26, nameBytes.length, 2], [28, 0, 2]].forEach(([at, value, width]) =>
      width === 4 ? local.setUint32(at, value, true) : local.setUint16(at, value, true));
    const central = header(46);
    [[0, 0x02014b50, 4], [4, 20, 2], [6, 20, 2], [8, 0x0800, 2], [10, 0, 2], [12, 0, 2], [14, 0x21, 2], [16, crc, 4],
      [20, data.length, 4], [24, data.length, 4], [28, nameBytes.length, 2], [30, 0, 2], [32, 0, 2], [34, 0, 2],
      [36, 0, 2], [38, 0, 4], [42, offset, 4]].forEach(([at, value, width]) =>
      width === 4 ? central.setUint32(at, value, true) : central.setUint16(at, value, true));
    parts.push(new Uint8Array(local.buffer), nameBytes, data);
    directory.push(new Uint8Array(central.buffer), nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const size = directory.reduce((sum, part) => sum + part.length, 0);
  const end = header(22);
  [[0, 0x06054b50, 4], [4, 0, 2], [6, 0, 2], [8, entries.length, 2], [10, entries.length, 2], [12, size, 4],
    [16, offset, 4], [20, 0, 2]].forEach(([at, value, width]) =>
    width === 4 ? end.setUint32(at, value, true) : end.setUint16(at, value, true));
  return new Blob([...parts, ...directory, new Uint8Array(end.buffer)], {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  });
}

/** The rows as an XLSX workbook; ``numeric`` says per column whether number-like cells are written as numbers. */
export function xlsxBlob(rows, sheetName, numeric = []) {
  return zip(workbookFiles(rows, sheetName, numeric));
}

/** Hand ``blob`` to the browser as a download named ``filename``. */
export function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
