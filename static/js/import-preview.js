// The import preview's "Xác nhận nhập" stays disabled while a department to follow a body up is not
// chosen or the file has errors; without JavaScript the server refuses the confirmation instead.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("import-form");
  const confirm = document.getElementById("confirm-import");
  if (!form || !confirm) return;
  function update() {
    const missing = Array.from(form.querySelectorAll("select[required]")).some((select) => !select.value);
    confirm.disabled = missing || form.dataset.fileErrors !== "0";
  }
  form.addEventListener("change", update);
  update();
});
