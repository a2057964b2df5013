// Experiments pages: the start form shows only the chosen type's models; a running
// experiment's progress bars (and the list's) follow GET /v1/experiments, called with the
// signed-in session (cookie + X-CSRF-Token header). Text is set with textContent only.
"use strict";

(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";
  const ACTIVE = ["queued", "running"];
  const INTERVAL_MS = 1000;

  async function getJson(url) {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    return response.json();
  }

  function progressText(entry) {
    const errors = entry.errors ? `, ${entry.errors} error${entry.errors === 1 ? "" : "s"}` : "";
    return `${entry.done}/${entry.total}${errors}`;
  }

  // The start form: only the chosen type's models are offered (and sent).
  const typeSelect = document.getElementById("exp-type");
  if (typeSelect) {
    const groups = Array.from(document.querySelectorAll("fieldset.model-group"));
    const showType = () => {
      groups.forEach((group) => {
        const chosen = group.dataset.type === typeSelect.value;
        group.hidden = !chosen;
        group.querySelectorAll("input").forEach((input) => { input.disabled = !chosen; });
      });
    };
    typeSelect.addEventListener("change", showType);
    showType();
  }

  // Polls `url` every second while `update` says the work goes on; stops after repeated failures.
  function poll(url, update, statusLine) {
    let failures = 0;
    const tick = async () => {
      let more = true;
      try {
        more = update(await getJson(url));
        failures = 0;
        if (statusLine) statusLine.textContent = "";
      } catch (error) {
        failures += 1;
        if (failures >= 5) {
          if (statusLine) statusLine.textContent = `Live updates stopped (${error.message}); refresh the page to see the latest.`;
          return;
        }
      }
      if (more) setTimeout(tick, INTERVAL_MS * (failures + 1));
    };
    setTimeout(tick, INTERVAL_MS);
  }

  // One experiment's page: bars per model; when it ends, reload for the results.
  const panel = document.getElementById("progress");
  if (panel && panel.dataset.poll) {
    const status = document.getElementById("exp-status");
    const overall = document.getElementById("exp-overall");
    poll(panel.dataset.poll + "?rowsLimit=0", (report) => {
      status.textContent = report.status;
      status.className = `run-status run-${report.status}`;
      overall.textContent = `${report.progress.done}/${report.progress.total} answers`;
      panel.querySelectorAll("li[data-model]").forEach((item) => {
        const entry = report.progress.models[item.dataset.model];
        if (!entry) return;
        const bar = item.querySelector("progress");
        bar.max = entry.total;
        bar.value = entry.done;
        item.querySelector("[data-progress-text]").textContent = progressText(entry);
      });
      if (ACTIVE.includes(report.status)) return true;
      window.location.reload();
      return false;
    }, document.getElementById("poll-status"));
  }

  // The list: progress and status of the experiments still running.
  const list = document.getElementById("experiment-list");
  if (list && list.dataset.poll) {
    poll(list.dataset.poll, (body) => {
      const byId = new Map(body.experiments.map((e) => [e.id, e]));
      let active = false;
      list.querySelectorAll("tr[data-experiment-id]").forEach((row) => {
        const experiment = byId.get(row.dataset.experimentId);
        if (!experiment) return;
        const state = row.querySelector("[data-status]");
        state.textContent = experiment.status;
        state.className = `run-status run-${experiment.status}`;
        const bar = row.querySelector("progress");
        bar.max = experiment.progress.total;
        bar.value = experiment.progress.done;
        row.querySelector("[data-progress-text]").textContent = `${experiment.progress.done}/${experiment.progress.total}`;
        active = active || ACTIVE.includes(experiment.status);
      });
      return active;
    }, null);
  }
})();
