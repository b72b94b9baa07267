// 年度自评: every field is stored when its row (or block) is left. Leaving the page while a
// change has not come back stored asks first, in the browser's own words; the page's own
// buttons (保存, 提交审核) post every field, so they do not ask.
const form = document.getElementById("evaluation-form");
let leavingByForm = false;

form.addEventListener("submit", () => { leavingByForm = true; });

// A save that came back stored: what its parts of the page hold is now what is stored.
document.body.addEventListener("evaluation-saved", (event) => {
  event.detail.scope.split(" ").forEach((id) => {
    const part = document.getElementById(id);
    if (part) part.querySelectorAll("input, select, textarea").forEach(markStored);
  });
});

function markStored(field) {
  if (field.type === "checkbox") field.defaultChecked = field.checked;
  else if (field.tagName === "SELECT") [...field.options].forEach((option) => { option.defaultSelected = option.selected; });
  else field.defaultValue = field.value;
}

function unstored(field) {
  if (field.type === "hidden" || field.disabled || !("defaultValue" in field) || field.tagName === "BUTTON") return false;
  if (field.type === "checkbox") return field.checked !== field.defaultChecked;
  if (field.tagName === "SELECT") {
    // With no option marked selected in the page, the first is the one it came with.
    const marked = [...field.options].some((option) => option.defaultSelected);
    return [...field.options].some((option, index) => option.selected !== (marked ? option.defaultSelected : index === 0));
  }
  return field.value !== field.defaultValue;
}

window.addEventListener("beforeunload", (event) => {
  if (!leavingByForm && (form.hasAttribute("data-unsaved") || [...form.elements].some(unstored))) event.preventDefault();
  leavingByForm = false;
});

// A field typed wrong is marked as such (red, and so read out) while its message stands.
document.body.addEventListener("htmx:oobAfterSwap", (event) => {
  const message = event.target;
  if (!message.id || !message.id.startsWith("error-")) return;
  const field = document.getElementById(message.id.slice("error-".length));
  if (field) field.setAttribute("aria-invalid", message.textContent ? "true" : "false");
});
