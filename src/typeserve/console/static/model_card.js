// The CPU / FlexGPU switch of a model card: rewrites the shown API URL and the code samples
// in place (the links work without JavaScript too, by reloading with ?tier=).
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
      code.textContent = rewrite(code.textContent, tier);
    });
    api.querySelectorAll("a.tier").forEach((a) => {
      a.setAttribute("aria-pressed", String(a.dataset.tier === tier));
    });
    document.getElementById("tier-hint").textContent = tier === "gpuflex"
      ? "Served on the GPU tier (serviceTier=gpuflex)."
      : "Served on the CPU tier (the default).";
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
