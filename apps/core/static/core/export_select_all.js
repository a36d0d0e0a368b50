// The "select all" box of django-import-export's export page. Its own inline onchange
// attribute is blocked by the Content-Security-Policy, so the same toggle is wired here.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.removeAttribute("onchange");
    toggle.addEventListener("change", () => {
      document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach((box) => {
        if (box.closest(".selectable-field-export-row").offsetParent !== null) {
          box.checked = toggle.checked;
        }
      });
    });
  });
});
