// Forms with data-confirm="question" ask before they submit (no inline handlers: the CSP forbids them).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : undefined;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
