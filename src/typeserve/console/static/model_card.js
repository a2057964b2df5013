// The CPU / FlexGPU switch of a model card: rewrites the shown API URL and the code samples
// in place (the links work without JavaScript too, by reloading with ?tier=). And Try it's
// sample button: fetches the sample file into the file field and runs the form.
"use strict";

(function () {
  const api = document.getElementById("api");
  if (!api) return;
  const cpuUrl = api.dataset.cpuUrl;
  const gpuUrl = cpuUrl + "?" + api.dataset.gpuQuery;
  const escaped = cpuUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const bareCpuUrl = new RegExp(escaped + "(?![A-Za-z0-9._/?-])", "g");

  function rewrite(text, tier) {
    const cpu = text.split(gpuUrl).join(cpuUrl);
    return tier === "gpuflex" ? cpu.replace(bareCpuUrl, gpuUrl) : cpu;
  }

  function setTier(tier) {
    api.dataset.tier = tier;
    document.getElementById("api-url").textContent = tier === "gpuflex" ? gpuUrl : cpuUrl;
    document.querySelectorAll("code.sample").forEach((code) => {
      // Samples rendered per tier by the server carry both versions; others get the URL rewritten.
      const rendered = code.dataset[tier];
      code.textContent = rendered !== undefined ? rendered : rewrite(code.textContent, tier);
    });
    api.querySelectorAll("a.tier").forEach((a) => {
      a.setAttribute("aria-pressed", String(a.dataset.tier === tier));
    });
    const gpuReason = api.dataset.gpuReason;
    document.getElementById("tier-hint").textContent = tier !== "gpuflex"
      ? "Served on the CPU tier (the default)."
      : gpuReason
        ? "The URL and samples call gpuflex (serviceTier=gpuflex)."
        : "Served on the GPU tier (serviceTier=gpuflex).";
    const url = new URL(window.location.href);
    url.searchParams.set("tier", tier);
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  api.querySelectorAll("a.tier").forEach((a) => {
    a.addEventListener("click", (event) => {
      event.preventDefault();
      setTier(a.dataset.tier);
    });
  });
})();

(function () {
  const button = document.getElementById("try-sample");
  const input = document.getElementById("try-file");
  const form = document.getElementById("try-it");
  if (!button || !input || !form) return;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const response = await fetch(button.dataset.sampleUrl, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`no sample (${response.status})`);
      const blob = await response.blob();
      const name = (response.headers.get("Content-Disposition") || "").match(/filename="?([^";]+)/);
      const file = new File([blob], name ? name[1] : "sample", { type: blob.type });
      const files = new DataTransfer();
      files.items.add(file);
      input.files = files.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      form.requestSubmit();
    } catch (error) {
      document.getElementById("try-status").textContent = "The sample could not be loaded: " + error.message;
    } finally {
      button.disabled = false;
    }
  });
})();
