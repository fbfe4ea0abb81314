// matrix-arena dashboard: vanilla JS, no framework, no external requests. Every data call goes to
// /v1 with the API key from sessionStorage as a Bearer token (none in local mode). Data is put in the
// page with textContent only, never innerHTML, because model and round names are user input.
"use strict";
(function () {
  const KEY_STORE = "matrix-arena.apiKey";
  const POLL_MS = 2000;
  const LB_HEADS = [["rank", "num"], ["model", ""], ["rating", "num"], ["95% interval", "ci-col"], ["battles", "num"], ["decisive", "num"], ["win rate", "num"], ["note", ""]];
  // memKey: fallback when sessionStorage is unavailable (private modes), lives as long as the page.
  // minBattles: the provisional minimum the last board answered (the server's MATRIX_ARENA_MIN_BATTLES).
  const state = { method: "bt", roundId: "", category: "", pollTimer: null, lastRunning: 0, memKey: "", minBattles: 0, digits: 0 };
  const $ = (sel) => document.querySelector(sel);

  class AuthError extends Error {}

  function apiKey() {
    try { return sessionStorage.getItem(KEY_STORE) || state.memKey; } catch { return state.memKey; }
  }

  function authHeaders() {
    const key = apiKey();
    return key ? { authorization: "Bearer " + key } : {};
  }

  /** GET a /v1 path; resolves to parsed JSON, null for 404 when allowed, throws AuthError on 401/403. */
  async function api(path, opts) {
    const res = await fetch(path, { headers: { accept: "application/json", ...authHeaders() } });
    if (res.status === 401 || res.status === 403) throw new AuthError(await errorMessage(res));
    if (res.status === 404 && opts && opts.allow404) return null;
    if (!res.ok) throw new Error(path + ": " + (await errorMessage(res)));
    return res.json();
  }

  async function errorMessage(res) {
    try {
      const body = await res.json();
      return (body && body.error && body.error.message) || res.status + " " + res.statusText;
    } catch { return res.status + " " + res.statusText; }
  }

  /** Creates an element; `text` is set as textContent (safe for any string). */
  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null) continue;
      if (k === "text") node.textContent = String(v);
      else if (k === "className") node.className = v;
      else if (k === "style") Object.assign(node.style, v);
      else node.setAttribute(k, String(v));
    }
    for (const c of children || []) if (c) node.append(c);
    return node;
  }

  const fmt = (x, d) => (x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(d || 0));
  const pct = (x) => (x === null || x === undefined || !Number.isFinite(x) ? "—" : (x * 100).toFixed(1) + "%");
  const usd = (x) => "$" + (x !== 0 && Math.abs(x) < 0.01 ? x.toFixed(4) : x.toFixed(2));

  function showBanner(message) {
    const b = $("#banner");
    b.textContent = message;
    b.hidden = !message;
  }

  function showKeyState() {
    $("#key-state").textContent = apiKey() ? "key set for this tab" : "no key (local mode)";
    $("#api-key").placeholder = apiKey() ? "enter a different key" : "not needed in local mode";
  }

  /** Runs a loader; an auth failure turns into the banner asking for a key. */
  async function guarded(load) {
    try {
      await load();
      return true;
    } catch (e) {
      if (e instanceof AuthError) {
        showBanner((apiKey() ? "The API key was refused: " : "This server needs an API key: enter it above. ") + e.message);
        $("#api-key").focus();
      } else {
        showBanner(String(e && e.message ? e.message : e));
      }
      return false;
    }
  }

  // ---- leaderboard ----

  /** Names of the rating methods (docs/ratings.md), and decimals per scale: Elo points read well whole, shares need more. */
  const METHOD_NAMES = {
    bt: "Bradley-Terry", elo: "online Elo", newman: "Newman (BT with a tie parameter)", davidson: "Davidson (ties as their own outcome)",
    counting: "counting (points)", "average-win-rate": "average win rate", eigen: "eigenvector", pagerank: "PageRank",
  };
  const SCALE_DIGITS = { elo: 0, points: 1, share: 3, eigenvector: 3, probability: 3 };

  /** What the board says about its method: the scale, the share of ties, the fitted tie parameter. */
  function methodNote(board) {
    const parts = [(METHOD_NAMES[board.method] || board.method) + " ratings" + (board.scale && board.scale !== "elo" ? " (scale: " + board.scale + ")" : "") + " with 95% bootstrap intervals (100 rounds)"];
    if (typeof board.ties === "number") parts.push("ties: " + pct(board.ties) + " of battles");
    const tp = board.tieParameter;
    if (tp) parts.push("tie parameter " + fmt(tp.value, 3) + " (" + fmt(tp.ciLow, 3) + " to " + fmt(tp.ciHigh, 3) + ")");
    return parts.join(" · ");
  }

  async function loadLeaderboard() {
    const q = new URLSearchParams({ method: state.method, bootstrap: "100" });
    if (state.roundId) q.set("roundId", state.roundId);
    if (state.category) q.set("category", state.category);
    const board = await api("/v1/leaderboard?" + q.toString());
    state.minBattles = board.minBattles;
    state.digits = SCALE_DIGITS[board.scale] || 0;
    renderLeaderboard(board);
    $("#lb-note").textContent =
      methodNote(board) +
      (state.roundId ? " · one round" : " · all battles") + (state.category ? " · category " + state.category : "") + ". " +
      "Rank = 1 + the number of models in the same table whose interval lies wholly above this model's (overlapping intervals share a rank). " +
      "Provisional: fewer than " + state.minBattles + " decisive (non-tie) battles, so the rating is a rough guess.";
  }

  /**
   * One table per component of the comparison graph: models in different components never met,
   * directly or through others, so their ratings are not comparable and each table ranks on its own.
   */
  function renderLeaderboard(board) {
    const items = board.items;
    const host = $("#lb-tables");
    host.replaceChildren();
    $("#lb-empty").hidden = items.length > 0;
    const groups = board.connected || items.length === 0 ? [items] : board.components.map((_, c) => items.filter((i) => i.component === c));
    const note = $("#lb-connectivity");
    note.hidden = groups.length < 2;
    note.textContent = groups.length < 2 ? "" :
      "Not connected: these models form " + groups.length + " groups that never met, directly or through other models. " +
      "Each group is its own table; ratings and ranks compare only within a table.";
    if (items.length === 0) return;
    groups.forEach((group, c) => host.append(leaderboardTable(group, c, groups.length)));
  }

  function leaderboardTable(items, component, count) {
    const table = el("table", { className: "data leaderboard", id: component === 0 ? "leaderboard" : null, "data-component": component });
    if (count > 1) table.append(el("caption", { text: "Group " + (component + 1) + " of " + count + " · " + items.length + (items.length === 1 ? " model" : " models") }));
    table.append(el("thead", {}, [el("tr", {}, LB_HEADS.map(([h, cls]) => el("th", { className: cls || null, text: h })))]));
    // Each table gets its own interval scale: across groups the ratings have no common origin.
    const lo = Math.min(...items.map((i) => i.ciLow));
    const hi = Math.max(...items.map((i) => i.ciHigh));
    const span = hi - lo || 1;
    const at = (v) => ((v - lo) / span) * 100 + "%";
    const body = el("tbody");
    for (const it of items) {
      const d = state.digits;
      const ci = el("div", { className: "ci", title: fmt(it.ciLow, d) + " to " + fmt(it.ciHigh, d) }, [
        el("div", { className: "track" }),
        el("div", { className: "bar", style: { left: at(it.ciLow), width: ((it.ciHigh - it.ciLow) / span) * 100 + "%" } }),
        el("div", { className: "dot", style: { left: at(it.rating) } }),
      ]);
      const flag = it.provisional ? el("span", { className: "badge provisional", title: "fewer than " + state.minBattles + " decisive battles", text: "provisional" }) : null;
      body.append(el("tr", { "data-model": it.model, className: it.provisional ? "provisional" : null }, [
        el("td", { className: "num rank", text: it.rank }),
        el("td", { className: "model", text: it.model }),
        el("td", { className: "num", text: fmt(it.rating, d) }),
        el("td", {}, [ci, el("div", { className: "ci-text", text: fmt(it.ciLow, d) + " to " + fmt(it.ciHigh, d) })]),
        el("td", { className: "num", text: it.battles }),
        el("td", { className: "num", text: it.decisive }),
        el("td", { className: "num", text: pct(it.winRate) }),
        el("td", { className: "note" }, [flag]),
      ]));
    }
    table.append(body);
    return table;
  }

  async function loadCategories() {
    const q = state.roundId ? "?roundId=" + encodeURIComponent(state.roundId) : "";
    const data = await api("/v1/leaderboard/categories" + q);
    const select = $("#lb-category");
    const keep = state.category;
    select.replaceChildren(el("option", { value: "", text: "all categories" }));
    for (const c of data.items) select.append(el("option", { value: c.category, text: c.category + " (" + c.battles + ")" }));
    if (keep && !data.items.some((c) => c.category === keep)) state.category = "";
    select.value = state.category;
  }

  // ---- rounds ----

  async function loadRounds() {
    const data = await api("/v1/rounds?limit=50");
    renderRounds(data.items);
    fillRoundSelect(data.items);
    const running = data.items.filter((r) => r.status === "pending" || r.status === "running").length;
    $("#rounds-live").textContent = running > 0 ? "live: " + running + " running, refreshing every " + POLL_MS / 1000 + " s" : "";
    // A round just finished: its battles now count on the board.
    if (state.lastRunning > running) await loadLeaderboard();
    state.lastRunning = running;
    clearTimeout(state.pollTimer);
    if (running > 0) state.pollTimer = setTimeout(() => void guarded(loadRounds), POLL_MS);
  }

  function reportLinks(id) {
    const base = "/v1/reports/rounds/" + encodeURIComponent(id);
    return el("td", { className: "links" }, [
      el("a", { href: base, "data-api": "open", text: "report" }),
      el("a", { href: base + "?format=md", "data-api": "download", "data-filename": "round-" + id + ".md", text: "Markdown" }),
      el("a", { href: base + "?format=json", "data-api": "open", text: "JSON" }),
    ]);
  }

  function renderRounds(items) {
    const body = $("#rounds tbody");
    body.replaceChildren();
    $("#rounds-empty").hidden = items.length > 0;
    $("#rounds").hidden = items.length === 0;
    for (const r of items) {
      const c = r.counts;
      const finished = c.done + c.failed;
      const share = c.total > 0 ? finished / c.total : 0;
      const eta = r.etaSeconds && r.status === "running" ? " · ETA " + r.etaSeconds + " s" : "";
      body.append(el("tr", { "data-round": r.id }, [
        el("td", {}, [el("span", { className: "round-name", text: r.name || r.id }), el("span", { className: "round-id", text: r.id })]),
        el("td", {}, [el("span", { className: "badge " + r.status, text: r.status })]),
        el("td", {}, [
          el("div", { className: "progress", title: pct(share) }, [el("div", { className: "fill" + (r.status === "done" ? " done" : ""), style: { width: share * 100 + "%" } })]),
          el("div", { className: "ci-text", text: finished + " / " + c.total + (c.failed ? " · " + c.failed + " failed" : "") + (c.invalid ? " · " + c.invalid + " invalid" : "") + eta }),
        ]),
        el("td", { className: "num", text: c.total }),
        el("td", { className: "num", text: usd(r.costUsd || 0) }),
        el("td", { className: "small muted", text: new Date(r.createdAt).toLocaleString() }),
        reportLinks(r.id),
      ]));
    }
  }

  function fillRoundSelect(items) {
    const select = $("#lb-round");
    select.replaceChildren(el("option", { value: "", text: "all battles" }));
    for (const r of items) select.append(el("option", { value: r.id, text: (r.name || r.id) + " (" + r.status + ")" }));
    select.value = items.some((r) => r.id === state.roundId) ? state.roundId : "";
  }

  // ---- iterations (the endpoint may not exist yet: 404 hides the section) ----

  async function loadIterations() {
    const data = await api("/v1/iterations", { allow404: true });
    const section = $("#iterations-section");
    const items = data && Array.isArray(data.items) ? data.items : [];
    section.hidden = items.length === 0;
    if (items.length === 0) return;
    const heads = ["loop", "#", "target", "opponents", "shard", "training round", "evaluation round", "exports"];
    $("#iterations thead").replaceChildren(el("tr", {}, heads.map((h) => el("th", { text: h }))));
    $("#iterations tbody").replaceChildren(...items.map(iterationRow));
  }

  function iterationRow(it) {
    const text = (v) => el("td", { text: v === undefined || v === null || v === "" ? "—" : v });
    const roundCell = (id) => (id ? el("td", { className: "links" }, [el("a", { href: "/v1/reports/rounds/" + encodeURIComponent(id), "data-api": "open", text: "report" })]) : text(null));
    const q = "&iterationId=" + encodeURIComponent(it.id || "");
    return el("tr", { "data-iteration": it.id }, [
      text(it.loopId), el("td", { className: "num", text: it.number ?? "—" }), text(it.target),
      text(Array.isArray(it.opponents) ? it.opponents.join(", ") : it.opponents), el("td", { className: "num", text: it.shard ?? "—" }),
      roundCell(it.roundId), roundCell(it.evalRoundId),
      el("td", { className: "links" }, [
        el("a", { href: "/v1/exports/sft?format=messages" + q, "data-api": "download", "data-filename": "sft-" + it.id + ".jsonl", text: "SFT" }),
        el("a", { href: "/v1/exports/dpo?format=trl" + q, "data-api": "download", "data-filename": "dpo-" + it.id + ".jsonl", text: "DPO" }),
      ]),
    ]);
  }

  // ---- links that need the key: fetched with the Bearer header, shown or saved from a blob ----

  async function followApiLink(a) {
    const kind = a.getAttribute("data-api");
    const win = kind === "open" ? window.open("", "_blank") : null;
    const res = await fetch(a.getAttribute("href"), { headers: authHeaders() });
    if (!res.ok) {
      if (win) win.close();
      showBanner(a.textContent + ": " + (await errorMessage(res)));
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    if (win) win.location.href = url;
    else el("a", { href: url, download: a.getAttribute("data-filename") || "download" }).click();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  document.addEventListener("click", (ev) => {
    const a = ev.target instanceof Element ? ev.target.closest("a[data-api]") : null;
    // Without a key (local mode) a plain link works and keeps the browser's own handling.
    if (!a || !apiKey()) return;
    ev.preventDefault();
    void followApiLink(a);
  });

  // ---- wiring ----

  async function loadAll() {
    showBanner("");
    showKeyState();
    const ok = await guarded(loadRounds);
    if (!ok) return;
    await guarded(async () => {
      await loadCategories();
      await loadLeaderboard();
      await loadIterations();
    });
  }

  function wire() {
    $("#key-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const value = $("#api-key").value.trim();
      if (value) {
        state.memKey = value;
        try { sessionStorage.setItem(KEY_STORE, value); } catch { /* storage disabled: the in-memory copy is used */ }
      }
      $("#api-key").value = "";
      void loadAll();
    });
    $("#key-clear").addEventListener("click", () => {
      state.memKey = "";
      try { sessionStorage.removeItem(KEY_STORE); } catch { /* nothing stored */ }
      void loadAll();
    });
    for (const b of document.querySelectorAll(".seg button")) {
      b.addEventListener("click", () => {
        state.method = b.getAttribute("data-method");
        for (const o of document.querySelectorAll(".seg button")) o.setAttribute("aria-pressed", String(o === b));
        void guarded(loadLeaderboard);
      });
    }
    $("#lb-round").addEventListener("change", (ev) => {
      state.roundId = ev.target.value;
      void guarded(async () => { await loadCategories(); await loadLeaderboard(); });
    });
    $("#lb-category").addEventListener("change", (ev) => {
      state.category = ev.target.value;
      void guarded(loadLeaderboard);
    });
  }

  wire();
  void loadAll();
})();
