// The ceremony's secret, kept safe in the browser (docs/draw-spec.md section 2).
//
// Commit: the secret is generated here and never sent before the reveal (its field has no
// name); its commitment SHA-256(spec US "commit" US draw_id US party US secret) is. A secret
// the page generated must be saved (copied, downloaded as a small .txt, or printed) and the
// saving confirmed before 登记承诺 is enabled, and leaving the page warns while it is unsaved:
// a lost secret cannot be revealed, and the party is then published as 已承诺未揭示.
//
// Reveal: the typed secret's commitment is computed here and compared with the registered
// one, so a mistyped or wrong secret is caught before it is sent.
//
// SubtleCrypto exists only in secure contexts (HTTPS, localhost). On a plain-HTTP intranet
// page the secret is still generated and saved here, the commitment is computed with the
// command shown, and the reveal is checked by the server (draws.services.add_reveal) alone.
"use strict";

const SEP = "\x1f";
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const canHash = () => Boolean(window.isSecureContext && window.crypto && crypto.subtle);

async function commitmentOf(spec, drawId, party, secret) {
  const text = [spec, "commit", drawId, party, secret].join(SEP);
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

function say(element, text) {
  element.textContent = text;
  element.hidden = !text;
}

function stamp(date) {
  const two = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

async function copyText(text, field) {
  if (window.isSecureContext && navigator.clipboard) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain HTTP has no clipboard API: select the field and copy the selection.
  field.focus();
  field.select();
  if (!document.execCommand("copy")) throw new Error("copy refused");
}

document.querySelectorAll("form[data-commitment]").forEach((form) => {
  const { spec, drawId } = form.dataset;
  const secret = form.querySelector("[data-secret]");
  const party = form.querySelector("[data-party]");
  const commitment = form.querySelector("input[name=commitment]");
  const note = form.querySelector("[data-note]");
  const command = form.querySelector("[data-command]");
  const keeping = form.querySelector("[data-safekeeping]");
  const confirmSaved = form.querySelector("[data-confirm-saved]");
  const savedNote = form.querySelector("[data-saved]");
  const submit = form.querySelector("[data-submit]");
  const problem = form.querySelector("[data-problem]");
  const slip = form.querySelector("[data-slip]");
  let generated = false; // the page made this secret (the person may have edited it since)
  let savedSecret = null; // the secret last copied, downloaded or printed
  let generatedAt = null;
  let leaving = false;

  const current = () => secret.value.trim();
  const kept = () => savedSecret !== null && savedSecret === current();
  const unsaved = () => generated && current() !== "" && !(kept() && confirmSaved.checked);

  function refresh() {
    keeping.hidden = !generated;
    confirmSaved.disabled = !kept();
    if (!kept()) confirmSaved.checked = false;
    if (!kept() && savedSecret !== null) say(savedNote, "秘密已改动：请重新保存");
    submit.disabled = unsaved();
    submit.title = submit.disabled ? "请先保存秘密并勾选确认" : "";
  }

  async function compute() {
    if (!current()) return;
    if (!canHash()) {
      commitment.value = "";
      const values = [party.value.trim(), current()];
      if (values.every((v) => v && /^[^'"\\$`]*$/.test(v))) {
        command.textContent = "python3 -c \"import hashlib;print(hashlib.sha256('\\x1f'.join(['" +
          [spec, "commit", drawId, ...values].join("','") + "']).encode()).hexdigest())\"";
      }
      note.hidden = false;
      return;
    }
    commitment.value = await commitmentOf(spec, drawId, party.value.trim(), current());
  }

  function slipText() {
    return [
      "双随机抽查 · 种子仪式秘密",
      "请妥善保存：揭示时须原样输入本秘密；丢失后无法揭示，本部门将被公示为“已承诺未揭示”。",
      `抽取编号：${drawId}`,
      `部门：${party.value.trim()}`,
      `秘密：${current()}`,
      `承诺值：${commitment.value.trim() || "（尚未计算）"}`,
      `生成时间：${stamp(generatedAt || new Date())}（本机时间）`,
      `规范：${spec}`,
      "",
    ].join("\r\n");
  }

  function saved(message) {
    savedSecret = current();
    say(savedNote, message);
    say(problem, "");
    refresh();
  }

  form.querySelector("[data-generate]").addEventListener("click", async () => {
    secret.value = hex(crypto.getRandomValues(new Uint8Array(16)));
    generated = true;
    generatedAt = new Date();
    savedSecret = null;
    say(savedNote, "");
    refresh();
    await compute();
  });
  form.querySelector("[data-compute]").addEventListener("click", compute);
  secret.addEventListener("input", async () => {
    refresh();
    await compute();
  });
  party.addEventListener("input", compute);
  confirmSaved.addEventListener("change", refresh);

  form.querySelector("[data-copy]").addEventListener("click", async () => {
    if (!current()) return;
    try {
      await copyText(current(), secret);
      saved("已复制到剪贴板：请立即粘贴到安全的地方保存");
    } catch {
      say(problem, "浏览器不允许复制：请下载或打印秘密");
    }
  });
  form.querySelector("[data-download]").addEventListener("click", () => {
    if (!current()) return;
    const name = `${drawId}-${party.value.trim()}-秘密.txt`;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([slipText()], { type: "text/plain;charset=utf-8" }));
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    saved(`已下载 ${name}：请存放在安全的位置`);
  });
  form.querySelector("[data-print]").addEventListener("click", () => {
    if (!current()) return;
    slip.textContent = slipText();
    document.body.classList.add("printing-slip");
    window.addEventListener("afterprint", () => document.body.classList.remove("printing-slip"),
      { once: true });
    window.print();
    saved("已送打印：请保管好打印件");
  });

  form.addEventListener("submit", async (event) => {
    if (leaving) return;
    event.preventDefault();
    if (unsaved()) {
      say(problem, "请先复制、下载或打印秘密，并勾选“我已妥善保存”，再登记承诺");
      return;
    }
    if (current() && canHash()) {
      const expected = await commitmentOf(spec, drawId, party.value.trim(), current());
      if (commitment.value.trim().toLowerCase() !== expected) {
        say(problem, "承诺值不是上面秘密的承诺：请点“计算承诺”重新计算，未提交");
        return;
      }
    }
    leaving = true;
    form.submit();
  });
  window.addEventListener("beforeunload", (event) => {
    if (!leaving && unsaved()) {
      event.preventDefault();
      event.returnValue = ""; // older Chromium (360, QQ) asks only when this is set
    }
  });
  if (!canHash()) note.hidden = false;
  refresh();
  form.dataset.ready = "true"; // its buttons answer from now on (tests wait for this)
});

document.querySelectorAll("form[data-reveal]").forEach((form) => {
  const { spec, drawId } = form.dataset;
  const registered = JSON.parse(document.getElementById(form.dataset.registered).textContent);
  const party = form.querySelector("[data-party]");
  const secret = form.querySelector("input[name=secret]");
  const file = form.querySelector("[data-secret-file]");
  const problem = form.querySelector("[data-problem]");
  let checked = false;
  if (!canHash()) form.querySelector("[data-insecure]").hidden = false;

  file.addEventListener("change", async () => {
    const text = file.files.length ? await file.files[0].text() : "";
    const found = /^秘密：(.*)$/m.exec(text);
    if (found) {
      secret.value = found[1].trim();
      say(problem, "");
    } else {
      say(problem, "所选文件中没有“秘密：”一行：请选择生成秘密时下载的文件");
    }
  });
  secret.addEventListener("input", () => {
    secret.removeAttribute("aria-invalid");
    say(problem, "");
  });
  form.addEventListener("submit", async (event) => {
    if (checked) return;
    const name = party.value.trim();
    if (!canHash() || registered[name] === undefined) return; // the server checks it
    event.preventDefault();
    const actual = await commitmentOf(spec, drawId, name, secret.value.trim());
    if (actual !== registered[name]) {
      secret.setAttribute("aria-invalid", "true");
      say(problem, `此秘密与“${name}”登记的承诺值不符，未提交：请核对保存的秘密` +
        "（逐字一致，区分大小写），或读取生成时下载的文件");
      secret.focus();
      return;
    }
    checked = true;
    form.submit();
  });
});
