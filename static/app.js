// htmx does not swap error responses; tell the user instead of failing silently.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const text = status === 404 ? "这一行已不存在（可能已被删除），请刷新页面。"
    : status === 400 ? "页面已过期，请刷新页面后重试。"
    : status === 403 ? "你没有权限这样做：表可能已提交或已通过。请刷新页面。"
    : status === 409 ? "别人刚刚修改了这张表，你的这次操作没有保存。请刷新页面后再试。"
    : "服务器出错了，刚才的修改没有保存。请稍后重试。";
  showMessage(text);
});

document.addEventListener("htmx:sendError", () => showMessage("连接不到服务器，刚才的修改没有保存。"));

function showMessage(text) {
  const message = document.createElement("p");
  message.className = "flash error";
  message.textContent = text;
  document.getElementById("messages").replaceChildren(message);
}

// A button with data-confirm asks first (submitting, approving: things not undone by a click).
// Submitting a sheet with a row still open would leave that row out, and 批量通过 with nothing
// checked would ask about nothing: say so instead.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (!button) return;
  if (button.matches("[data-rows-saved-first]")) document.querySelectorAll("tr.editing").forEach(dropIfBlank);
  const openRow = button.matches("[data-rows-saved-first]") && document.querySelector("tr.editing");
  const nothingChecked = button.matches("[data-needs-checked]")
    && !document.querySelector(`input[type=checkbox][form="${button.form.id}"]:checked`);
  if (nothingChecked) {
    event.preventDefault();  // no question about nothing: say what to do
    showMessage(button.dataset.needsChecked);
  } else if (openRow) {
    event.preventDefault();
    showMessage("还有正在编辑的行没有保存：请先保存（回车）或取消（Esc），再提交。");
    openRow.querySelector("textarea, input:not([type=hidden]), select").focus();
  } else if (!window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// Leaving a page with typing not yet saved asks first, in the browser's own words. A form that
// is being sent saves its own fields (htmx row forms send without leaving, so they do not count);
// typing elsewhere on the page still asks.
let leavingWith = null;
document.addEventListener("submit", (event) => {
  if (!event.defaultPrevented) leavingWith = event.target;
});
window.addEventListener("beforeunload", (event) => {
  if (unsavedTyping(leavingWith)) event.preventDefault();
  leavingWith = null;  // if the user stays, the next way out is asked about afresh
});

function unsavedTyping(sentForm) {
  const header = document.querySelector("#sheet-form, form[data-guard-typing]");
  const fields = [...(header ? header.elements : []), ...document.querySelectorAll("tr.editing [form]")];
  return fields.some((field) => changed(field) && field.form !== sentForm);
}

function changed(field) {
  if (field.type === "hidden" || field.disabled) return false;
  if (field.form && field.form.hasAttribute("data-unsaved")) return true;  // came back refused: not stored
  if (field.tagName === "SELECT") {
    // With no option marked selected in the page, the first is the one it came with.
    const marked = [...field.options].some((option) => option.defaultSelected);
    return [...field.options].some((option, index) => option.selected !== (marked ? option.defaultSelected : index === 0));
  }
  if ("defaultValue" in field && field.tagName !== "BUTTON") return field.value !== field.defaultValue;
  return false;
}

// In a row being edited: Enter saves from any field (the 三级指标 box and the 绩效标准 list
// included, which would not by themselves), Esc cancels. Enter in a new row left blank ends
// the category, as Enter on an empty list item ends a list: the next category's row opens.
document.addEventListener("keydown", (event) => {
  const row = event.target.closest && event.target.closest("tr.editing");
  // Enter that picks a word in the Chinese input method is not a save; a key the suggestion
  // list (below) took for itself is not the row's.
  if (!row || event.isComposing || event.defaultPrevented) return;
  if (event.key === "Enter" && !event.shiftKey && row.matches("tr.indicator") && isBlankNewRow(row)) {
    event.preventDefault();
    const next = row.closest("tbody").nextElementSibling;
    const add = addButtonFor(row);
    row.remove();
    const nextAdd = next && next.querySelector(".category-head button.add-indicator");
    if (nextAdd) nextAdd.click(); else if (add) add.focus();
  } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && row.matches("tr.indicator") && !isBlankNewRow(row)) {
    // Ctrl+Enter: save, and go on in the next category rather than this one.
    event.preventDefault();
    row.closest("tbody").dataset.thenNextCategory = "";
    row.querySelector("form").requestSubmit();
  } else if (event.key === "Enter" && !event.shiftKey && event.target.matches("textarea, select")) {
    event.preventDefault();
    row.querySelector("form").requestSubmit();
  } else if (event.key === "Escape") {
    event.preventDefault();
    row.querySelector("button.cancel").click();
  }
});

// A new row not yet saved is cancelled here: nothing is stored, so nothing to ask the server.
document.addEventListener("click", (event) => {
  const cancel = event.target.closest("button.cancel-new");
  if (!cancel) return;
  const row = cancel.closest("tr");
  const add = addButtonFor(row);
  row.remove();
  if (add) add.focus();
});

// A row opened and left as it came (nothing typed, nothing to save) goes without a word.
function isBlankNewRow(row) {
  const form = row.querySelector("form[hx-post]");
  return Boolean(form) && !form.hasAttribute("data-unsaved")
    && [...row.querySelectorAll("[form]")].every((field) => field.tagName === "BUTTON" || !changed(field));
}

function dropIfBlank(row) {
  if (isBlankNewRow(row)) row.remove();
}

// The blank row that opens after each save goes away as soon as the clerk works elsewhere:
// another row's action, or a field outside the table. (Not on any focus inside the table: the
// rows below would move up between the press and the release of a click, and lose it.)
function dropBlankRowsBut(here) {
  document.querySelectorAll("tr.indicator.editing").forEach((row) => {
    if (!row.contains(here)) dropIfBlank(row);
  });
}
document.addEventListener("htmx:beforeRequest", (event) => dropBlankRowsBut(event.detail.elt));
document.addEventListener("focusin", (event) => {
  if (!event.target.closest("#indicators")) dropBlankRowsBut(event.target);
});

// After a row is saved, the clerk goes on typing: an indicator added opens the next blank row
// of its category (Enter there, left blank, moves to the next category); a sub-table row added
// leaves focus on 添加一行; after editing or cancelling, focus is on the row's 编辑.
document.addEventListener("htmx:afterSettle", (event) => {  // its target is the new row
  const row = event.target;
  if (!row.matches || !row.matches("tr.indicator:not(.editing), tr.subtable-row:not(.editing)")) return;
  if (fromLastYearPanel(event)) return;  // the panel keeps the focus (below)
  const added = event.detail.requestConfig && event.detail.requestConfig.verb === "post" && !row.matches(".restored");
  const next = added ? addButtonFor(row) : row.querySelector("button");
  if (added && row.matches("tr.indicator") && next) {
    const category = row.closest("tbody");
    const nextCategory = "thenNextCategory" in category.dataset && category.nextElementSibling;
    delete category.dataset.thenNextCategory;
    openOnItsOwn((nextCategory && nextCategory.querySelector(".category-head button.add-indicator")) || next);
  } else if (next) next.focus();
});

function openOnItsOwn(addButton) {
  addButton.dataset.opensOnItsOwn = "";
  addButton.click();
}


// That next row is only wanted while the clerk has not gone elsewhere meanwhile (the saved
// row took the focus with it: anything focused now was the clerk's choice).
document.addEventListener("htmx:beforeSwap", (event) => {
  const button = event.detail.elt;
  if (!button || !("opensOnItsOwn" in button.dataset)) return;
  delete button.dataset.opensOnItsOwn;
  const focused = document.activeElement;
  if (focused && focused !== document.body) event.detail.shouldSwap = false;
});

// A deleted row's place says so, with 撤销 focused (Enter brings the row back), for a while;
// then the line goes. A row brought back (撤销, or 恢复 in 修改记录) gets the focus on its 编辑.
document.addEventListener("htmx:afterSettle", (event) => {
  const placeholder = event.target.matches && event.target.matches("tr.deleted-row") ? event.target : null;
  if (placeholder) {
    const undo = placeholder.querySelector("button.undo");
    if (undo) undo.focus();
    if (placeholder.dataset.goneAfter) setTimeout(() => goneAway(placeholder), Number(placeholder.dataset.goneAfter) * 1000);
  }
  const restored = document.querySelector("tr.indicator.restored");
  if (restored) {
    // Brought back from 修改记录: the line with its 撤销 goes too (the row is no longer deleted).
    const path = event.detail.requestConfig && event.detail.requestConfig.path;
    document.querySelectorAll("tr.deleted-row button.undo").forEach((undo) => {
      if (undo.getAttribute("hx-post") === path) undo.closest("tr").remove();
    });
    restored.classList.remove("restored");
    restored.scrollIntoView({ block: "nearest" });
    restored.querySelector("button").focus();
  }
});

function goneAway(placeholder) {
  if (!placeholder.isConnected) return;
  const add = addButtonFor(placeholder);
  const hadFocus = placeholder.contains(document.activeElement);
  placeholder.remove();
  if (hadFocus && add) add.focus();
}

// The button that adds rows where this one is: its category's, or the sub-table's under it.
function addButtonFor(row) {
  return row.closest("tbody").querySelector(".category-head button.add-indicator") || row.closest("section").querySelector("button.add-row");
}

// The 三级指标 box is a combobox (WAI-ARIA): typing fetches suggestions into its listbox (htmx),
// ↓/↑ move through them (↓ on a closed list opens it), Enter or a click fills the row with the
// one chosen, Esc or Tab closes the list. The focus stays in the box: Enter again saves the row.
// Caught before the row's own keys (capture), which then leave a key taken here alone.
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches("[role=combobox]") || event.isComposing) return;
  const options = suggestionOptions(box);
  const open = box.getAttribute("aria-expanded") === "true";
  const current = options.findIndex((option) => option.id === box.getAttribute("aria-activedescendant"));
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (!open || !options.length) {
      box.dataset.activateFirst = "true";  // once the list comes, its first option is the current one
      htmx.trigger(box, "suggest");
      return;
    }
    const step = event.key === "ArrowDown" ? 1 : -1;
    const next = current < 0 ? (step > 0 ? 0 : options.length - 1) : (current + step + options.length) % options.length;
    activateOption(box, options[next]);
  } else if (event.key === "Enter" && open && current >= 0) {
    event.preventDefault();
    pickSuggestion(box, options[current]);
  } else if (event.key === "Escape" && open) {
    event.preventDefault();
    closeSuggestions(box);
  } else if (event.key === "Tab" && open) {
    closeSuggestions(box);
  }
}, true);

function suggestionList(box) {
  return document.getElementById(box.getAttribute("aria-controls"));
}

function suggestionOptions(box) {
  const list = suggestionList(box);
  return list ? [...list.querySelectorAll("[role=option]")] : [];
}

function activateOption(box, option) {
  for (const other of suggestionOptions(box)) other.setAttribute("aria-selected", String(other === option));
  box.setAttribute("aria-activedescendant", option.id);
  option.scrollIntoView({ block: "nearest" });
}

function closeSuggestions(box) {
  const list = suggestionList(box);
  if (list) list.hidden = true;
  box.setAttribute("aria-expanded", "false");
  box.removeAttribute("aria-activedescendant");
}

// Fill the row's cells from the option (its data-cells, by column key), as if typed: how the
// value is understood follows it (below).
function pickSuggestion(box, option) {
  const formId = box.getAttribute("form");
  for (const [key, text] of Object.entries(JSON.parse(option.dataset.cells))) {
    const field = document.getElementById(`${formId}-${key}`);
    if (field) field.value = text;
  }
  const value = document.getElementById(`${formId}-value`);
  if (value) value.dispatchEvent(new Event("input", { bubbles: true }));
  closeSuggestions(box);
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
}

// A list arrived: number its options for aria-activedescendant and show it, if the box still
// has the focus and anything fits.
document.addEventListener("htmx:afterSwap", (event) => {
  const list = event.detail.target;
  if (!list.matches || !list.matches("[role=listbox]")) return;
  const box = document.querySelector(`[aria-controls="${list.id}"]`);
  if (!box) return;
  const options = suggestionOptions(box);
  options.forEach((option, index) => { option.id = `${list.id}-${index}`; });
  const activateFirst = box.dataset.activateFirst === "true";
  delete box.dataset.activateFirst;
  if (!options.length || document.activeElement !== box) {
    closeSuggestions(box);
    return;
  }
  list.hidden = false;
  box.setAttribute("aria-expanded", "true");
  box.removeAttribute("aria-activedescendant");
  if (activateFirst) activateOption(box, options[0]);
});

// A click on an option fills the row; pressing the mouse on the list (an option, its scroll bar)
// keeps the focus in the box, which would otherwise close the list.
document.addEventListener("mousedown", (event) => {
  if (event.target.closest && event.target.closest("ul.suggestions")) event.preventDefault();
});
document.addEventListener("click", (event) => {
  const option = event.target.closest && event.target.closest("[role=listbox] [role=option]");
  if (!option) return;
  const box = document.querySelector(`[aria-controls="${option.closest("[role=listbox]").id}"]`);
  if (box) pickSuggestion(box, option);
});
document.addEventListener("focusout", (event) => {
  if (event.target.matches && event.target.matches("[role=combobox]")) closeSuggestions(event.target);
});

// 引用上年: the panel under a category opens once (its button then goes to the open one); in it
// the focus is on the next 引用 (autofocus), also after each 引用; 关闭 or Esc closes it.
document.addEventListener("htmx:beforeRequest", (event) => {
  const button = event.detail.elt;
  if (!button.matches || !button.matches("button.last-year-open")) return;
  const open = button.closest("tbody").querySelector("tr.last-year");
  if (open) {
    event.preventDefault();
    open.querySelector("button").focus();
  }
});

function fromLastYearPanel(event) {
  const source = event.detail.requestConfig && event.detail.requestConfig.elt;
  return Boolean(source && source.closest && source.closest("tr.last-year"));
}

document.addEventListener("click", (event) => {
  const close = event.target.closest && event.target.closest("button.close-last-year");
  if (close) closeLastYear(close.closest("tr.last-year"));
});

document.addEventListener("keydown", (event) => {
  const panel = event.target.closest && event.target.closest("tr.last-year");
  if (panel && event.key === "Escape") closeLastYear(panel);
});

function closeLastYear(panel) {
  const opener = panel.closest("tbody").querySelector("button.last-year-open");
  panel.remove();
  if (opener) opener.focus();
}

// The editor opens on the first thing to fix: the first field or row (in page order) with a
// 强制 finding gets the focus, scrolled into view. Not when the page was opened at a place of
// its own (#history); the server marks only a sheet with rows whose form came back without errors.
const firstFix = document.querySelector("form[data-first-fix]") && !location.hash
  && document.querySelector(".field .mark.blocking, tr.indicator .mark.blocking");
if (firstFix) {
  const field = firstFix.closest(".field");
  const place = field || firstFix.closest("tr");
  place.scrollIntoView({ block: "center" });
  const target = field ? field.querySelector("input:not([type=hidden]), textarea, select") : place.querySelector("button");
  if (target) target.focus({ preventScroll: true });
  // Its text selected, as Tab would leave it: the fix typed replaces what is wrong.
  if (target && target.select) target.select();
}

// Ctrl+Enter in the header form, from any field (a goal's box too, where Enter starts a new
// line): 保存并下一张 where there is a next sheet, so a fix typed where the editor opened goes on
// in one key; else it saves (a new sheet: creates it). Enter alone stays 保存表头.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.isComposing) return;
  const form = event.target.form;
  if (!form || form.id !== "sheet-form") return;
  event.preventDefault();
  const next = form.querySelector("button[name=then][value=next]");
  if (next) form.requestSubmit(next); else form.requestSubmit();
});

// A review comment belongs to one sheet's decision. Coming back to a page from the back-forward
// cache shows it as it was left, typing included: start such a field afresh (autocomplete="off"
// already keeps the browser's form restore from filling it).
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  document.querySelectorAll("[data-forget]").forEach((field) => { field.value = field.defaultValue; });
});

// The list's year and sort choices apply at once, as its status links do.
document.addEventListener("change", (event) => {
  if (event.target.matches("form[data-autosubmit] select")) event.target.form.requestSubmit();
});

// The list's 全选: checks or clears every box of the batch form it names.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-check-all]");
  if (!all) return;
  document.querySelectorAll(`input[type=checkbox][form="${all.dataset.checkAll}"]`).forEach((box) => { box.checked = all.checked; });
});

// 打印 on an app page (the overview): the browser's own print, through the page's print stylesheet.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// A row's value and how it is understood (指标性质, 数值, 度量单位) follow each other as the clerk
// types. The server reads values (measures.py) and answers what a save would keep; the page only
// shows it. Typing the value asks for its parts. Changing a part makes the parts the clerk's
// reading of the value (read_from), and a value the server can read follows them: "≥95%" marked
// ≤ becomes "≤95%"; a sentence it cannot read stays, the clerk's reading kept beside it. On a
// 101-style form the parts are the row's own columns: what they make is shown under the value.
const READING_FIELDS = ["value", "nature", "number", "measure"];
const readingAsked = new WeakMap();  // row → the number of its latest question: older answers are dropped
let typingPause = null;

document.addEventListener("input", (event) => {
  const field = event.target;
  const row = field.closest && field.closest("tr.editing");
  const reading = row && row.querySelector("[data-reading-url]");
  if (!reading || !READING_FIELDS.includes(field.name)) return;
  const partChanged = reading.contains(field);
  const readFrom = row.querySelector("input[name=read_from]");
  if (readFrom && partChanged) readFrom.value = valueOf(row).value;  // the parts are now the clerk's reading of it
  clearTimeout(typingPause);
  if (field.tagName === "SELECT") askReading(row, reading, partChanged);
  else typingPause = setTimeout(() => askReading(row, reading, partChanged), 200);  // once typing pauses
});

function valueOf(row) {
  return document.getElementById(`${row.querySelector("form").id}-value`);
}

function askReading(row, reading, partChanged) {
  const form = row.querySelector("form");
  const text = valueOf(row);
  const readFrom = row.querySelector("input[name=read_from]");
  const question = new URLSearchParams(new FormData(form));
  if (readFrom && !partChanged) question.delete("nature");  // the value is read afresh
  const asked = (readingAsked.get(row) || 0) + 1;
  readingAsked.set(row, asked);
  const sent = text.value;
  fetch(`${reading.dataset.readingUrl}?${question}`, { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((answer) => {
      if (!answer || readingAsked.get(row) !== asked || !row.isConnected) return;
      showReading(row, reading, answer, partChanged ? null : sent, text, readFrom);
    })
    .catch(() => {});  // only a view of what the save will decide
}

function showReading(row, reading, answer, readText, text, readFrom) {
  const note = reading.matches("output") ? reading : reading.querySelector(".reading-note");
  note.textContent = answer.error || (reading.matches("output") ? answer.tag : "");
  note.classList.toggle("error", Boolean(answer.error));
  if (answer.error || !readFrom) return;
  if (readText === null) {  // a part changed: the value follows it
    if (document.activeElement !== text) text.value = answer.value;
    readFrom.value = text.value;
    return;
  }
  for (const key of ["nature", "number", "measure"]) {
    const part = reading.querySelector(`[name=${key}]`);
    if (part !== document.activeElement) part.value = answer[key];
  }
  readFrom.value = readText;
}

// The parts are out of the Tab order, so typing a table costs no more keys than before: ↓ in the
// value reaches them, and while the focus is among them Tab goes through them as usual.
document.addEventListener("keydown", (event) => {
  if (event.key !== "ArrowDown" || event.altKey || event.ctrlKey || event.isComposing) return;
  const row = event.target.closest && event.target.closest("tr.editing");
  const first = row && event.target.name === "value" && row.querySelector(".reading select");
  if (!first) return;
  event.preventDefault();
  first.focus();
});
document.addEventListener("focusin", (event) => {
  const reading = event.target.closest && event.target.closest(".reading");
  if (reading) reading.querySelectorAll("select, input:not([type=hidden])").forEach((part) => { part.tabIndex = 0; });
});
document.addEventListener("focusout", (event) => {
  const reading = event.target.closest && event.target.closest(".reading");
  if (reading && !reading.contains(event.relatedTarget)) {
    reading.querySelectorAll("select, input:not([type=hidden])").forEach((part) => { part.tabIndex = -1; });
  }
});
