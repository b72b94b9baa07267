// 公开文本's page numbers, kept by the document itself (templates/print/publication.html).
// Once the fonts are in and the pages laid out, a page whose body runs past its room (a table
// longer than one sheet of A4) gives the rows that do not fit to a new page after it, under the
// table's column heads again, as print.css breaks a long table; then every page, and each
// table's line in the contents, is numbered again. A page is laid out alike on screen and on
// paper (publication.css), so what fits here fits there.
(() => {
  "use strict";

  // The tables whose rows may go on to the next page; anything else stays whole on its page.
  const CONTINUING = "table.indicators, table.contents";

  const rect = (element) => element.getBoundingClientRect();
  // The height a page's body has for its content: its min-height, in px.
  const room = (body) => parseFloat(getComputedStyle(body).minHeight);
  const bodyOf = (page) => page.querySelector(":scope > .page-body");

  // Splits the page when its body runs over: returns the new page, which may run over in turn,
  // or null when the page fits (or holds nothing that could go on: one row taller than a page).
  function carryOver(page) {
    const body = bodyOf(page);
    const limit = rect(body).top + room(body);
    if (rect(body).bottom <= limit) return null;
    const table = body.querySelector(CONTINUING);
    if (!table) return null;
    const holder = table.parentElement;
    const rows = [...table.tBodies].flatMap((tbody) => [...tbody.rows]);
    const following = [];
    for (let element = table.nextElementSibling; element; element = element.nextElementSibling) following.push(element);
    let at = rows.findIndex((row) => rect(row).bottom > limit);
    if (at === -1) at = rows.length; // the rows fit; what follows the table does not
    if (at === rows.length && !following.length) return null; // what runs over stands above the table
    const leading = (element) => !element.previousElementSibling;
    if (at === 0 && leading(table) && (holder === body || leading(holder))) return null;

    const next = page.cloneNode(false);
    next.removeAttribute("id"); // the contents links to a table's first page
    const nextBody = body.cloneNode(false);
    const nextHolder = holder === body ? nextBody : nextBody.appendChild(holder.cloneNode(false));
    next.append(nextBody, page.querySelector(":scope > .page-number").cloneNode(true));
    page.after(next);
    if (at < rows.length) nextHolder.append(rowsFrom(table, rows, at));
    nextHolder.append(...following);
    return next;
  }

  // A table of the rows from `at` on, moved out of `table`, with its columns and column heads.
  function rowsFrom(table, rows, at) {
    const rest = table.cloneNode(false);
    for (const part of table.children) {
      if (part.tagName === "COLGROUP" || part.tagName === "THEAD") rest.append(part.cloneNode(true));
    }
    splitSpans(rows[at]);
    for (const tbody of [...table.tBodies]) {
      const moving = [...tbody.rows].filter((row) => rows.indexOf(row) >= at);
      if (!moving.length) continue;
      const part = tbody.cloneNode(false);
      part.append(...moving);
      rest.append(part);
      if (!tbody.rows.length) tbody.remove();
    }
    if (!table.tBodies.length) table.remove(); // every row went on: the heads go with them
    return rest;
  }

  // The cells spanning down into `row` from above (一级指标, 二级指标) end above it, and a copy of
  // each, spanning the rest, starts the row in its column: each page names its categories.
  function splitSpans(row) {
    const rows = [...row.parentElement.rows];
    const at = rows.indexOf(row);
    const taken = rows.map(() => new Set());
    const cells = []; // every cell with the row and the column it starts in
    rows.forEach((tr, index) => {
      let column = 0;
      for (const cell of tr.cells) {
        while (taken[index].has(column)) column += 1;
        cells.push({ cell, index, column });
        for (let down = 0; down < cell.rowSpan && index + down < rows.length; down += 1) {
          for (let across = 0; across < cell.colSpan; across += 1) taken[index + down].add(column + across);
        }
        column += cell.colSpan;
      }
    });
    const own = cells.filter((placed) => placed.index === at);
    cells.filter(({ cell, index }) => index < at && index + cell.rowSpan > at)
      .sort((one, other) => one.column - other.column)
      .forEach(({ cell, index, column }) => {
        const copy = cell.cloneNode(true);
        copy.rowSpan = index + cell.rowSpan - at;
        cell.rowSpan = at - index;
        const before = own.find((placed) => placed.column > column);
        row.insertBefore(copy, before ? before.cell : null);
      });
  }

  // Every page's number, the count on each, and the page each table starts on in the contents.
  // A page that still runs over (one cell, a goal of thousands of characters, taller than A4) is
  // counted at the paper it fills; but where the browser breaks inside a cell is its own affair,
  // so the screen names such pages: the numbers from there on may be off.
  function numberPages() {
    const pages = [...document.querySelectorAll(".page")];
    const first = new Map();
    const over = [];
    let number = 1;
    for (const page of pages) {
      const body = bodyOf(page);
      const footer = rect(page.querySelector(":scope > .page-number")).height;
      const sheets = Math.max(1, Math.ceil((rect(body).height + footer) / (room(body) + footer) - 0.001));
      first.set(page, number);
      if (sheets > 1) over.push(page);
      number += sheets;
    }
    for (const page of pages) page.querySelector("[data-page-number]").textContent = first.get(page);
    document.querySelectorAll("[data-page-count]").forEach((count) => { count.textContent = number - 1; });
    document.querySelectorAll("[data-page-of]").forEach((entry) => {
      const page = document.getElementById(entry.dataset.pageOf);
      if (page) entry.textContent = first.get(page);
    });
    over.forEach((page) => warnOf(page, first.get(page)));
  }

  function warnOf(page, number) {
    page.classList.add("overflows");
    const note = document.getElementById("overflow-note");
    const item = document.createElement("li");
    item.textContent = `第 ${number} 页：${tableOn(page)}`;
    note.querySelector("ul").append(item);
    note.hidden = false;
  }

  // The project whose table the page is of, as the contents names it (none for the front pages).
  function tableOn(page) {
    let start = page;
    while (start && !start.id) start = start.previousElementSibling;
    const entry = start && document.querySelector(`table.contents a[href="#${start.id}"]`);
    return entry ? entry.textContent : "";
  }

  function paginate() {
    for (const page of [...document.querySelectorAll(".page")]) {
      for (let current = page; current; current = carryOver(current));
    }
    numberPages();
    document.documentElement.dataset.paginated = "";
  }

  document.fonts.ready.then(paginate);
})();
