// Folds a group of the plan's task table (a section with the sections inside it, or a reform area):
// its heading row's button hides or shows the rows whose data-in names the group. A row stays hidden
// while any group it is in is folded. Without JavaScript the buttons stay hidden and every row shows.
document.addEventListener("DOMContentLoaded", () => {
  const table = document.querySelector(".plan-task-table");
  if (!table) return;
  const folded = new Set();
  const rows = Array.from(table.querySelectorAll("tbody tr[data-in]"));
  table.querySelectorAll(".group-row").forEach((heading) => {
    const button = heading.querySelector(".group-toggle");
    const key = heading.dataset.group;
    button.hidden = false;
    button.addEventListener("click", () => {
      const fold = !folded.has(key);
      if (fold) folded.add(key);
      else folded.delete(key);
      button.setAttribute("aria-expanded", String(!fold));
      button.querySelector(".bi").className = fold ? "bi bi-chevron-right" : "bi bi-chevron-down";
      rows.forEach((row) => {
        const groups = row.dataset.in.split(" ");
        if (groups.includes(key)) row.hidden = groups.some((group) => folded.has(group));
      });
    });
  });
});
