// Progressive enhancement only: every page works without this file.
// Forms marked data-busy say what is happening while the server works (asking can take seconds);
// forms marked data-confirm ask before a destructive action.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

for (const form of document.querySelectorAll("form[data-busy]")) {
  form.addEventListener("submit", (event) => {
    if (event.defaultPrevented) return;
    const status = form.querySelector(".busy");
    if (status) status.textContent = form.dataset.busy;
    // Disabled after the submit is on its way, so the button's own value is still sent.
    setTimeout(() => form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; }), 0);
  });
}

// Ctrl+Enter (Cmd+Enter) sends a question from the text box.
const question = document.getElementById("question");
if (question) {
  question.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      question.form.requestSubmit();
    }
  });
}

// The cited passage gets the keyboard focus, so a screen reader starts reading there.
if (location.hash === "#passage") {
  const passage = document.getElementById("passage");
  if (passage) passage.focus({ preventScroll: false });
}
