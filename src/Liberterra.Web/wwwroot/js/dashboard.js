// Enhancements only: every page works without this file. Selects marked data-autosubmit submit their form on
// change, and the press summary's copy button (hidden until this runs) copies the summary's text.
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});

document.querySelectorAll("button[data-copy]").forEach((button) => {
  const source = document.getElementById(button.dataset.copy);
  const status = document.getElementById("copy-status");
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = Array.from(source.querySelectorAll("p"), (p) => p.textContent.trim()).join("\n\n");
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Copied.";
    } catch {
      // Clipboard access can be refused (an insecure origin, a denied permission): select the text for a manual copy.
      window.getSelection().selectAllChildren(source);
      status.textContent = "Press Ctrl+C to copy the selected summary.";
    }
  });
});
