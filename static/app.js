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
// Submitting a sheet with a row still open would leave that row out: say so instead.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (!button) return;
  const openRow = button.matches("[data-rows-saved-first]") && document.querySelector("tr.editing");
  if (openRow) {
    event.preventDefault();
    showMessage("还有正在编辑的指标行没有保存：请先保存（回车）或取消（Esc），再提交。");
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
  const header = document.getElementById("sheet-form");
  const fields = [...(header ? header.elements : []), ...document.querySelectorAll("tr.editing [form]")];
  return fields.some((field) => changed(field) && field.form !== sentForm);
}

function changed(field) {
  if (field.type === "hidden" || field.disabled) return false;
  if (field.form && field.form.hasAttribute("data-unsaved")) return true;  // came back refused: not stored
  if (field.tagName === "SELECT") return [...field.options].some((option) => option.selected !== option.defaultSelected);
  if ("defaultValue" in field && field.tagName !== "BUTTON") return field.value !== field.defaultValue;
  return false;
}

// In a row being edited: Enter saves from any field (the 三级指标 box and the 绩效标准 list
// included, which would not by themselves), Esc cancels.
document.addEventListener("keydown", (event) => {
  const row = event.target.closest && event.target.closest("tr.editing");
  if (!row || event.isComposing) return;  // Enter that picks a word in the Chinese input method is not a save
  if (event.key === "Enter" && !event.shiftKey && event.target.matches("textarea, select")) {
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

// After a row is saved, focus stays where the clerk works: on the category's 添加指标 (or the
// sub-table's 添加一行) after adding a row (Enter adds the next), on the row's 编辑 after
// editing or cancelling.
document.addEventListener("htmx:afterSettle", (event) => {  // its target is the new row
  const row = event.target;
  if (!row.matches || !row.matches("tr.indicator:not(.editing), tr.subtable-row:not(.editing)")) return;
  const added = event.detail.requestConfig && event.detail.requestConfig.verb === "post";
  const next = added ? addButtonFor(row) : row.querySelector("button");
  if (next) next.focus();
});

// The button that adds rows where this one is: its category's, or the sub-table's under it.
function addButtonFor(row) {
  return row.closest("tbody").querySelector(".category-head button") || row.closest("section").querySelector("button.add-row");
}

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
