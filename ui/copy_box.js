// A paragraph to quote with a copy button at its top right (the first screen's dated quote).
//
// It stands in for st.code, whose element loads Streamlit's syntax highlighter (a 1.5 MB script) on the first
// page load: that delayed the first exports chart by about 0.8 s. The text is set as text (never markup); the
// button copies it with the Clipboard API, or with a selected hidden textarea where that API is missing.

function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  return new Promise((resolve, reject) => {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try {
      if (document.execCommand("copy")) resolve(); else reject(new Error("copy refused"));
    } finally {
      area.remove();
    }
  });
}

export default function (component) {
  const { data, parentElement } = component;
  const text = parentElement.querySelector(".big10-copy-text");
  const button = parentElement.querySelector(".big10-copy-button");
  if (!text || !button) return;
  text.textContent = data.text;
  button.setAttribute("aria-label", data.copy);
  button.title = data.copy;
  button.dataset.copied = data.copied;
  button.dataset.copy = data.copy;
  if (!button.dataset.ready) {
    button.dataset.ready = "1";
    button.addEventListener("click", () => {
      copyText(text.textContent).then(() => {
        button.setAttribute("aria-label", button.dataset.copied);
        button.title = button.dataset.copied;
        button.classList.add("big10-copied");
        setTimeout(() => {
          button.setAttribute("aria-label", button.dataset.copy);
          button.title = button.dataset.copy;
          button.classList.remove("big10-copied");
        }, 1500);
      }, () => {});
    });
  }
}
