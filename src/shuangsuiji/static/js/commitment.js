// A ceremony commitment computed in the browser, so a department's secret never reaches the
// server before the reveal: SHA-256(spec US "commit" US draw_id US party US secret), as in
// docs/draw-spec.md section 2. The secret field has no name and is never submitted.
"use strict";

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

document.querySelectorAll("form[data-commitment]").forEach((form) => {
  const secret = form.querySelector("[data-secret]");
  const party = form.querySelector("[data-party]");
  const commitment = form.querySelector("input[name=commitment]");
  const note = form.querySelector("[data-note]");
  form.querySelector("[data-generate]").addEventListener("click", () => {
    secret.value = hex(crypto.getRandomValues(new Uint8Array(16)));
  });
  form.querySelector("[data-compute]").addEventListener("click", async () => {
    if (!window.isSecureContext || !crypto.subtle) {
      note.hidden = false; // plain-HTTP intranet pages get no SubtleCrypto: use the command
      return;
    }
    const text = [form.dataset.spec, "commit", form.dataset.drawId, party.value.trim(),
      secret.value.trim()].join("\x1f");
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    commitment.value = hex(new Uint8Array(digest));
  });
});
