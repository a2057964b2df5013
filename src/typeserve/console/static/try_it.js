// Try it: calls the model's API with the signed-in session (cookie + X-CSRF-Token header) and
// shows the answer as JSON and as a picture: boxes on the image, bars for scores, the
// transcript beside an audio player, recognised lines on the image, a player for speech. DOM is built with createElement/textContent only.
"use strict";

(function () {
  const form = document.getElementById("try-it");
  if (!form) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const statusLine = document.getElementById("try-status");
  const result = document.getElementById("try-result");
  const visual = document.getElementById("try-visual");
  const jsonOut = document.getElementById("try-json");
  const runButton = document.getElementById("try-run");
  const SVG = "http://www.w3.org/2000/svg";
  let objectUrl = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    return node;
  }

  function bars(items, labelOf, title) {
    const list = el("ul", "bars");
    if (title) list.setAttribute("aria-label", title);
    items.forEach((item) => {
      const row = el("li");
      const label = el("span", "bar-label", labelOf(item));
      if (item.sequence) label.title = item.sequence;
      const track = el("span", "bar-track");
      const bar = el("span", "bar");
      const score = Math.max(0, Math.min(1, Number(item.score) || 0));
      bar.style.width = (score * 100).toFixed(1) + "%";  // CSSOM, allowed by the CSP
      track.appendChild(bar);
      row.append(label, track, el("span", "bar-value", score.toFixed(3)));
      list.appendChild(row);
    });
    return list;
  }

  // Boxes over the image the user chose, each with its caption; `items` have a `box` in pixels.
  function boxesPicture(width, height, items, captionOf, what) {
    const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width, class: "detections", role: "img" });
    svg.setAttribute("aria-label", `${items.length} ${what} drawn on the image`);
    svg.dataset.count = String(items.length);
    if (objectUrl) svg.appendChild(svgEl("image", { href: objectUrl, x: 0, y: 0, width, height }));
    const fontSize = Math.max(12, Math.round(width / 40));
    items.forEach((d) => {
      const b = d.box;
      const group = svgEl("g", { class: "detection" });
      group.appendChild(svgEl("rect", {
        class: "box", x: b.xmin, y: b.ymin, width: b.xmax - b.xmin, height: b.ymax - b.ymin,
        "stroke-width": Math.max(2, Math.round(width / 200)),
      }));
      const caption = captionOf(d);
      const labelY = Math.max(fontSize, b.ymin - 4);
      group.appendChild(svgEl("rect", {
        class: "box-label-bg", x: b.xmin, y: labelY - fontSize, width: caption.length * fontSize * 0.6 + 6, height: fontSize + 4,
      }));
      const text = svgEl("text", { class: "box-label", x: b.xmin + 3, y: labelY, "font-size": fontSize });
      text.textContent = caption;
      group.appendChild(text);
      svg.appendChild(group);
    });
    return svg;
  }

  function detectionsPicture(data, detections) {
    const caption = (d) => `${d.label} ${Number(d.score).toFixed(2)}`;
    return boxesPicture(Number(data.width) || 1, Number(data.height) || 1, detections, caption, "detections");
  }

  // Recognised lines of text (OCR): the answer has no image size, so the image is measured.
  function linesPicture(lines) {
    const holder = el("div", "ocr-lines");
    const image = new Image();
    image.onload = () => {
      holder.replaceChildren(boxesPicture(image.naturalWidth, image.naturalHeight, lines, (line) => line.text, "lines"));
    };
    if (objectUrl) image.src = objectUrl;
    return holder;
  }

  // Speech in the answer (base64 in `audio.Bytes`): a player on a blob URL (the CSP allows blob: media).
  let answerAudioUrl = null;
  function audioPlayer(data) {
    const bytes = Uint8Array.from(atob(data.audio.Bytes), (c) => c.charCodeAt(0));
    if (answerAudioUrl) URL.revokeObjectURL(answerAudioUrl);
    answerAudioUrl = URL.createObjectURL(new Blob([bytes], { type: data.contentType || "audio/wav" }));
    const audio = el("audio", "answer-audio");
    audio.controls = true;
    audio.src = answerAudioUrl;
    return audio;
  }

  // How to draw the answer is the model type's: the server renders it into data-view.
  const view = JSON.parse(form.dataset.view || "{}");

  function fillHint(template, data) {
    return template.replace(/\{(\w+)\}/g, (_, name) => (data[name] === undefined || data[name] === "" ? "?" : String(data[name])));
  }

  function picture(data, mode) {
    const parts = [];
    if (mode === "audio" && objectUrl) {
      const audio = el("audio");
      audio.controls = true;
      audio.src = objectUrl;
      parts.push(audio);
    }
    const value = data[view.field];
    if (view.picture === "boxes" && Array.isArray(value)) {
      parts.push(detectionsPicture(data, value));
      parts.push(el("p", "hint", value.length === 1 ? "1 detection" : `${value.length} detections`));
    } else if (view.picture === "bars" && Array.isArray(value)) {
      parts.push(bars(value, (item) => item[view.label], view.title));
    } else if (view.picture === "transcript" && typeof value === "string") {
      parts.push(el("div", "transcript", value || view.empty || ""));
    } else if (view.picture === "text" && typeof value === "string") {
      parts.push(el("div", "answer-text", value));
    } else if (view.picture === "lines") {
      if (Array.isArray(value) && value.length) parts.push(linesPicture(value));
      parts.push(el("div", "transcript", data.text || view.empty || ""));
    } else if (view.picture === "audio" && value && value.Bytes) {
      parts.push(audioPlayer(data));
    }
    if (view.hint && view.picture !== "boxes") parts.push(el("p", "hint", fillHint(view.hint, data)));
    return parts;
  }

  function collectOptions() {
    const options = {};
    form.querySelectorAll("[data-option]").forEach((input) => {
      const value = input.value.trim();
      if (value === "") return;
      options[input.name] = input.dataset.kind === "string" ? value : Number(value);
    });
    return options;
  }

  function buildRequest() {
    const mode = form.dataset.mode;
    const tier = (document.getElementById("api") || {}).dataset?.tier || "cpuflex";
    const params = new URLSearchParams();
    if (tier === "gpuflex") params.set("serviceTier", "gpuflex");
    const options = collectOptions();
    if (mode === "image" || mode === "audio") {
      const file = form.querySelector("#try-file").files[0];
      if (!file) throw new Error(`Choose ${mode === "image" ? "an image" : "an audio"} file first.`);
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = URL.createObjectURL(file);
      Object.entries(options).forEach(([name, value]) => params.set(name, String(value)));
      return { params, body: file, contentType: file.type || "application/octet-stream" };
    }
    const payload = mode === "qa"
      ? { question: form.querySelector("#try-question").value, context: form.querySelector("#try-context").value }
      : { input: form.querySelector("#try-input").value };
    return { params, body: JSON.stringify({ ...payload, ...options }), contentType: "application/json" };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let request;
    try {
      request = buildRequest();
    } catch (error) {
      statusLine.textContent = error.message;
      return;
    }
    const query = request.params.toString();
    const url = form.dataset.apiPath + (query ? "?" + query : "");
    runButton.disabled = true;
    statusLine.textContent = "Running…";
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": request.contentType, "X-CSRF-Token": csrf, Accept: "application/json" },
        body: request.body,
      });
      const text = await response.text();
      let data = null;
      try { data = JSON.parse(text); } catch (_) { /* shown as text below */ }
      jsonOut.textContent = data !== null ? JSON.stringify(data, null, 2) : text;
      visual.replaceChildren();
      const elapsed = Math.round(performance.now() - started);
      if (response.ok && data) {
        visual.append(...picture(data, form.dataset.mode));
        const tier = response.headers.get("X-Service-Tier") || "";
        statusLine.textContent = `${response.status} in ${elapsed} ms${tier ? " on " + tier : ""}`;
      } else {
        const detail = data && data.detail ? data.detail : text.slice(0, 500);
        visual.appendChild(el("p", "error-text", `${response.status} ${data && data.title ? data.title : ""}: ${detail}`));
        statusLine.textContent = `Failed with ${response.status}`;
      }
      result.hidden = false;
    } catch (error) {
      statusLine.textContent = "The request failed: " + error.message;
    } finally {
      runButton.disabled = false;
    }
  });
})();
