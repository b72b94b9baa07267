// The print view's one button; a file rather than inline script, so a strict CSP holds.
document.getElementById("print-button").addEventListener("click", () => window.print());
