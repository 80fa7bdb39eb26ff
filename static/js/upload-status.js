// Follows the upload page's unfinished submissions: polls the status endpoint until each is final.
// Loaded as a file (no inline script) so that a strict Content-Security-Policy `script-src 'self'` holds.
(() => {
  "use strict";
  const container = document.querySelector("[data-status-url]");
  if (!container) return;
  const url = container.dataset.statusUrl;
  const INTERVAL_MS = 1500;
  const CHUNK = 100; // ids per request, well under the endpoint's limit

  const pendingIds = () => [
    ...new Set([...document.querySelectorAll("tr[data-id][data-final='false']")].map((row) => row.dataset.id)),
  ];

  // The details cell's content: a link to the stored study, or the reason in words (built as nodes, not HTML).
  const details = (submission) => {
    const study = submission.study;
    if (study) {
      const link = document.createElement("a");
      link.href = study.url;
      link.textContent = `Study ${study.id}`;
      const rest = [study.modality, study.date || "no date", study.description || "no description"];
      return [link, ` · ${rest.join(" · ")}`];
    }
    if (!submission.error_message) return [];
    const kind = submission.error_kind_label;
    return [kind ? `${kind}: ${submission.error_message}` : submission.error_message];
  };

  const show = (submission) => {
    for (const row of document.querySelectorAll(`tr[data-id='${submission.id}']`)) {
      const state = row.querySelector("[data-role='state']");
      state.textContent = submission.state_label;
      state.className = `state state-${submission.state}`;
      row.querySelector("[data-role='details']").replaceChildren(...details(submission));
      row.dataset.final = submission.final ? "true" : "false";
    }
  };

  const markGone = (ids, seen) => {
    // Not returned: no longer visible to this user; stop asking for it.
    for (const id of ids.filter((id) => !seen.has(id))) {
      for (const row of document.querySelectorAll(`tr[data-id='${id}']`)) row.dataset.final = "true";
    }
  };

  const poll = async () => {
    const ids = pendingIds().slice(0, CHUNK);
    if (ids.length === 0) return;
    let delay = INTERVAL_MS;
    try {
      const response = await fetch(`${url}?ids=${ids.join(",")}`, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const body = await response.json();
        body.submissions.forEach(show);
        markGone(ids, new Set(body.submissions.map((submission) => submission.id)));
      } else {
        delay = INTERVAL_MS * 4; // signed out or a server error: try again, more slowly
      }
    } catch {
      delay = INTERVAL_MS * 4;
    }
    window.setTimeout(poll, delay);
  };

  window.setTimeout(poll, INTERVAL_MS);
})();
