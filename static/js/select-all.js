// "Select all on this page" above the clerk's bulk changes; without JavaScript each row is ticked by hand.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("chon-tat-ca");
  if (!all) return;
  all.hidden = false;
  all.addEventListener("change", () => {
    document.querySelectorAll("#bulk-form .task-pick").forEach((box) => {
      box.checked = all.checked;
    });
  });
});
