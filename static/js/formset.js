// Adds a row to the legal-bases formset from its <template>, keeping Django's management form in step.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("add-basis-row");
  const template = document.getElementById("basis-row-template");
  const total = document.getElementById("id_bases-TOTAL_FORMS");
  if (!button || !template || !total) return;
  button.addEventListener("click", () => {
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    document.querySelector("#bases-table tbody").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  });
});
