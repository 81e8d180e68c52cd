// The plan preview: send only the cells someone corrected. Every task has nine or ten
// editable cells, so a plan of a hundred tasks would post a thousand fields (past Django's
// limit) when almost none changed; an unchanged cell is disabled just before the form is
// sent, and a disabled field is not sent. Without this script every cell is sent, as before.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-plan-preview]");
  if (!form) return;
  form.addEventListener("submit", () => {
    for (const cell of form.querySelectorAll("textarea[name^='cell-']")) {
      if (cell.value === cell.defaultValue) cell.disabled = true;
    }
  });
  // Back from a refused confirmation, the browser may restore the page with cells disabled.
  window.addEventListener("pageshow", () => {
    for (const cell of form.querySelectorAll("textarea[name^='cell-']")) cell.disabled = false;
  });
});
