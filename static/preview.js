// 导入预览: one click gives every sheet that is already stored the same choice
// (a file imported again is usually skipped, or replaced, as a whole).
const applyAll = document.getElementById("apply-all");
if (applyAll) {
  applyAll.hidden = false;
  applyAll.addEventListener("click", (event) => {
    const choice = event.target.closest("button[data-choice]")?.dataset.choice;
    if (!choice) return;
    for (const radio of document.querySelectorAll(`.choices input[type="radio"][value="${choice}"]`)) {
      radio.checked = true;
    }
  });
}
