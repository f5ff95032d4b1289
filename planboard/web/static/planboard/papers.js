// Progressive enhancement only: without this file the page says "Refresh this page".
// While a paper file is being made, ask for the files' status every few seconds and
// reload the page once none is waiting any more.
const files = document.querySelector("[data-pending][data-status-url]");

if (files) {
  const url = files.dataset.statusUrl;
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const body = await response.json();
        if (!body.files.some((file) => file.status === "queued" || file.status === "running")) {
          window.location.reload();
          return;
        }
      }
    } catch {
      // A network hiccup: try again on the next tick.
    }
    window.setTimeout(poll, 3000);
  };
  window.setTimeout(poll, 2000);
}
