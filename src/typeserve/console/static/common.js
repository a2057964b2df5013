// Behaviour shared by console pages: copy buttons and tabs. Text is only ever set with
// textContent, never parsed as HTML, so nothing a model card or user supplies can run.
"use strict";

function copyText(text, button) {
  const done = () => {
    const before = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = before; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
  } else {
    fallbackCopy(text, done);
  }
}

function fallbackCopy(text, done) {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "visually-hidden";
  document.body.appendChild(area);
  area.select();
  try { document.execCommand("copy"); done(); } finally { area.remove(); }
}

// Controls that only work with JavaScript are hidden in the page and shown from here.
document.querySelectorAll("[data-needs-js]").forEach((node) => { node.hidden = false; });
document.querySelectorAll("[data-no-js]").forEach((node) => { node.hidden = true; });

document.querySelectorAll("button.copy[data-copy-target]").forEach((button) => {
  button.addEventListener("click", () => {
    const target = document.getElementById(button.dataset.copyTarget);
    if (target) copyText(target.textContent, button);
  });
});

document.querySelectorAll("[data-tabs]").forEach((tabs) => {
  tabs.classList.add("js");
  const buttons = Array.from(tabs.querySelectorAll('[role="tab"]'));
  const select = (chosen) => {
    buttons.forEach((b) => {
      const selected = b === chosen;
      b.setAttribute("aria-selected", String(selected));
      b.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(b.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
    });
  };
  buttons.forEach((b, i) => {
    b.addEventListener("click", () => select(b));
    b.addEventListener("keydown", (event) => {
      const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
      if (step) {
        const next = buttons[(i + step + buttons.length) % buttons.length];
        next.focus();
        select(next);
      }
    });
  });
  if (buttons.length) select(buttons[0]);
});
