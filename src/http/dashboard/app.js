// matrix-arena dashboard: vanilla JS, no framework, no external requests. Every data call goes to
// /v1 with the API key from sessionStorage as a Bearer token (none in local mode). Data is put in the
// page with textContent only, never innerHTML, because model names, round names and answers are user
// input; answers go through markdown.js, which builds DOM nodes from a safe subset. Views by hash:
// #/ (leaderboard, rounds), #/round/<id> (live over server-sent events, judges, spend),
// #/battles?... (inspector list), #/battle/<id>, #/review/<roundId> (blind human review),
// #/loop/<name or id> (versions, held-out ratings, data yield, feedback weights),
// #/generator/<runId> (stages, a simulation's groups and routed messages, items, removed items).
"use strict";
(function () {
  const KEY_STORE = "matrix-arena.apiKey";
  const POLL_MS = 2000;
  const LB_HEADS = [["rank", "num"], ["model", ""], ["rating", "num"], ["95% interval", "ci-col"], ["battles", "num"], ["decisive", "num"], ["win rate", "num"], ["note", ""]];
  // memKey: fallback when sessionStorage is unavailable (private modes), lives as long as the page.
  // minBattles: the provisional minimum the last board answered (the server's MATRIX_ARENA_MIN_BATTLES).
  const state = { method: "bt", roundId: "", category: "", judge: "", styleControl: false, pollTimer: null, lastRunning: 0, memKey: "", minBattles: 0, digits: 0, stream: null, reviewKeys: null };
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
    const init = { headers: { accept: "application/json", ...authHeaders() } };
    if (opts && opts.method) {
      init.method = opts.method;
      if (opts.body !== undefined) { init.body = JSON.stringify(opts.body); init.headers["content-type"] = "application/json"; }
    }
    const res = await fetch(path, init);
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

  // ---- scores against a baseline (GET /v1/leaderboard?score=&baseline=, docs/scores.md) ----

  /** Refills the baseline choices from the models on the current board, keeping the choice if it is still there. */
  function fillBaselines(board) {
    const select = $("#sc-baseline");
    const chosen = select.value;
    const models = board.items.map((i) => i.model).sort();
    select.replaceChildren(el("option", { value: "", text: "choose a model" }), ...models.map((m) => el("option", { value: m, text: m })));
    select.value = models.includes(chosen) ? chosen : "";
  }

  async function loadScores() {
    const baseline = $("#sc-baseline").value;
    const table = $("#scores");
    $("#sc-empty").hidden = Boolean(baseline);
    table.hidden = !baseline;
    $("#sc-definition").textContent = "";
    if (!baseline) return;
    const q = new URLSearchParams({ score: $("#sc-score").value, baseline, bootstrap: "100" });
    if (state.roundId) q.set("roundId", state.roundId);
    if (state.category) q.set("category", state.category);
    const board = await api("/v1/leaderboard?" + q.toString());
    const share = board.score !== "wildbench";
    const show = (x) => (share ? pct(x) : fmt(x, 3));
    table.tBodies[0].replaceChildren(...board.items.map((it) => el("tr", { "data-model": it.model }, [
      el("td", { className: "model", text: it.model }),
      el("td", { className: "num", text: show(it.score) }),
      el("td", { text: show(it.ciLow) + " to " + show(it.ciHigh) }),
      el("td", { className: "num", text: it.battles }),
      el("td", { className: "muted small", text: it.note || (typeof it.winRate === "number" ? "plain win rate " + pct(it.winRate) : "") }),
    ])));
    $("#sc-definition").textContent = board.score + " against " + board.baseline + ": " + board.definition;
  }

  async function loadLeaderboard() {
    const q = new URLSearchParams({ method: state.method, bootstrap: "100" });
    if (state.roundId) q.set("roundId", state.roundId);
    if (state.category) q.set("category", state.category);
    if (state.judge) q.set("judge", state.judge);
    if (state.styleControl && state.method === "bt") q.set("styleControl", "true");
    const board = await api("/v1/leaderboard?" + q.toString());
    state.minBattles = board.minBattles;
    state.digits = SCALE_DIGITS[board.scale] || 0;
    renderLeaderboard(board);
    fillBaselines(board);
    $("#lb-note").textContent =
      methodNote(board) +
      (state.roundId ? " · one round" : " · all battles") + (state.category ? " · category " + state.category : "") +
      (state.judge ? " · judge " + state.judge : "") + (state.styleControl && state.method === "bt" ? " · style-controlled (length and markdown)" : "") + ". " +
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
    const chart = $("#lb-chart");
    chart.replaceChildren(...groups.map((g, c) => intervalChart(g, groups.length > 1 ? "Group " + (c + 1) : "")));
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
        el("td", {}, [el("a", { className: "round-name", href: "#/round/" + encodeURIComponent(r.id), text: r.name || r.id }), el("span", { className: "round-id", text: r.id })]),
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
    const judges = [...new Set(items.flatMap((r) => r.judges || []))].sort();
    const js = $("#lb-judge");
    js.replaceChildren(el("option", { value: "", text: "all judges" }), ...judges.map((j) => el("option", { value: j, text: j })));
    js.value = judges.includes(state.judge) ? state.judge : "";
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

  // ---- generator runs (newest first; each opens the generator view) ----

  async function loadGeneratorRuns() {
    const data = await api("/v1/generator/runs?limit=20", { allow404: true });
    const items = data && Array.isArray(data.items) ? data.items : [];
    $("#generator-section").hidden = items.length === 0;
    $("#generator-runs tbody").replaceChildren(...items.map((r) => el("tr", { "data-run": r.id }, [
      el("td", {}, [el("a", { href: "#/generator/" + encodeURIComponent(r.id), className: "round-name", text: r.name || r.id }), el("span", { className: "round-id", text: r.id })]),
      el("td", { text: r.kind }), el("td", {}, [el("span", { className: "badge " + r.status, text: r.status })]),
      el("td", { className: "num", text: r.counts.total }), el("td", { className: "num", text: r.items.total }),
      el("td", { className: "small muted", text: new Date(r.createdAt).toLocaleString() }),
    ])));
  }

  function iterationRow(it) {
    const text = (v) => el("td", { text: v === undefined || v === null || v === "" ? "—" : v });
    const roundCell = (id) => (id ? el("td", { className: "links" }, [el("a", { href: "/v1/reports/rounds/" + encodeURIComponent(id), "data-api": "open", text: "report" })]) : text(null));
    const q = "&iterationId=" + encodeURIComponent(it.id || "");
    return el("tr", { "data-iteration": it.id }, [
      el("td", {}, [el("a", { href: "#/loop/" + encodeURIComponent(it.loopId || ""), text: it.loopId || "—" })]), el("td", { className: "num", text: it.number ?? "—" }), text(it.target),
      text(Array.isArray(it.opponents) ? it.opponents.join(", ") : it.opponents), el("td", { className: "num", text: it.shard ?? "—" }),
      roundCell(it.roundId), roundCell(it.evalRoundId),
      el("td", { className: "links" }, [
        el("a", { href: "/v1/exports/sft?format=messages" + q, "data-api": "download", "data-filename": "sft-" + it.id + ".jsonl", text: "SFT" }),
        el("a", { href: "/v1/exports/dpo?format=trl" + q, "data-api": "download", "data-filename": "dpo-" + it.id + ".jsonl", text: "DPO" }),
      ]),
    ]);
  }

  // ---- charts: SVG built by this page (createElementNS, text via textContent) ----

  const SVG_NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
    for (const c of children || []) if (c) node.append(c);
    return node;
  }
  const svgText = (attrs, text) => { const t = svg("text", attrs); t.textContent = String(text); return t; };

  /** "Nice" axis ticks over [lo, hi]: the step of 1, 2 or 5 times a power of ten that gives closest to six ticks. */
  function niceTicks(lo, hi) {
    if (!(hi > lo)) return [lo];
    const pow = Math.pow(10, Math.floor(Math.log10((hi - lo) / 6)));
    const count = (step) => Math.floor(hi / step + 1e-9) - Math.ceil(lo / step - 1e-9) + 1;
    const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50].map((m) => m * pow);
    const step = steps.reduce((best, st) => (Math.abs(count(st) - 6) < Math.abs(count(best) - 6) ? st : best), steps[3]);
    const out = [];
    for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toFixed(10)));
    return out;
  }

  /** Horizontal interval chart: one row per model, the 95% interval as a bar, the rating as a dot, an axis below. */
  function intervalChart(items, caption) {
    if (items.length === 0) return null;
    const left = 190, right = 30, rowH = 22, top = caption ? 26 : 10, width = 760;
    const height = top + items.length * rowH + 40;
    const lo = Math.min(...items.map((i) => i.ciLow)), hi = Math.max(...items.map((i) => i.ciHigh));
    const pad = (hi - lo) * 0.05 || 1;
    const x0 = lo - pad, x1 = hi + pad;
    const x = (v) => left + ((v - x0) / (x1 - x0)) * (width - left - right);
    const d = state.digits;
    const root = svg("svg", { class: "interval-chart", viewBox: "0 0 " + width + " " + height, width: "100%", role: "img", "aria-label": "95% intervals of the ratings" });
    if (caption) root.append(svgText({ x: 0, y: 16, class: "chart-caption" }, caption));
    const axisY = top + items.length * rowH + 6;
    for (const t of niceTicks(x0, x1)) {
      root.append(svg("line", { x1: x(t), x2: x(t), y1: top - 4, y2: axisY, class: "grid" }));
      root.append(svgText({ x: x(t), y: axisY + 16, "text-anchor": "middle", class: "tick" }, fmt(t, d)));
    }
    root.append(svg("line", { x1: left, x2: width - right, y1: axisY, y2: axisY, class: "axis" }));
    items.forEach((it, k) => {
      const y = top + k * rowH + rowH / 2;
      const label = it.model.length > 26 ? it.model.slice(0, 25) + "…" : it.model;
      const g = svg("g", { class: "row" + (it.provisional ? " provisional" : ""), "data-model": it.model });
      const title = svg("title");
      title.textContent = it.model + ": " + fmt(it.rating, d) + " (" + fmt(it.ciLow, d) + " to " + fmt(it.ciHigh, d) + ")" + (it.provisional ? ", provisional" : "");
      g.append(title, svgText({ x: left - 8, y: y + 4, "text-anchor": "end", class: "label" }, label + (it.provisional ? " *" : "")));
      g.append(svg("line", { x1: x(it.ciLow), x2: x(it.ciHigh), y1: y, y2: y, class: "ci" }));
      g.append(svg("circle", { cx: x(it.rating), cy: y, r: 4, class: "pt" }));
      root.append(g);
    });
    return el("figure", { className: "chart-fig" }, [root, el("figcaption", { className: "small muted", text: "Rating with its 95% interval; * = provisional. Axis in the board's scale." })]);
  }

  /** A square heatmap of a win-rate matrix (row model's share against the column model). */
  function heatmap(title, models, matrix, counts) {
    const n = models.length;
    const cell = 34, left = 150, top = 120;
    const size = left + n * cell + 80;
    const root = svg("svg", { class: "heatmap", viewBox: "0 0 " + size + " " + (top + n * cell + 10), width: Math.min(560, size), role: "img", "aria-label": title });
    const short = (m) => (m.length > 20 ? m.slice(0, 19) + "…" : m);
    models.forEach((m, i) => {
      root.append(svgText({ x: left - 6, y: top + i * cell + cell / 2 + 4, "text-anchor": "end", class: "label" }, short(m)));
      root.append(svgText({ x: 0, y: 0, transform: "translate(" + (left + i * cell + cell / 2 + 4) + "," + (top - 6) + ") rotate(-55)", class: "label" }, short(m)));
    });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = matrix[i] ? matrix[i][j] : null;
        const has = i !== j && v !== null && v !== undefined && Number.isFinite(v);
        // Blue above one half, red below; white at one half; grey where the pair never met.
        const c = has ? (v >= 0.5 ? "rgba(37,99,235," + ((v - 0.5) * 2).toFixed(3) + ")" : "rgba(220,38,38," + ((0.5 - v) * 2).toFixed(3) + ")") : "#f3f4f6";
        const rect = svg("rect", { x: left + j * cell, y: top + i * cell, width: cell - 1, height: cell - 1, fill: c, class: "cell" });
        const tip = svg("title");
        tip.textContent = i === j ? models[i] : models[i] + " vs " + models[j] + ": " + (has ? pct(v) : "never met") + (counts && counts[i] ? " (" + counts[i][j] + " battles)" : "");
        rect.append(tip);
        root.append(rect);
        if (has) root.append(svgText({ x: left + j * cell + cell / 2, y: top + i * cell + cell / 2 + 4, "text-anchor": "middle", class: "cell-text" }, Math.round(v * 100)));
      }
    }
    return el("figure", { className: "chart-fig" }, [el("figcaption", { className: "small", text: title }), root]);
  }

  async function loadWinRates() {
    const q = new URLSearchParams();
    if (state.roundId) q.set("roundId", state.roundId);
    if (state.category) q.set("category", state.category);
    const w = await api("/v1/leaderboard/winrates?" + q.toString(), { allow404: true });
    const host = $("#lb-heatmaps");
    host.replaceChildren();
    if (!w || w.models.length < 2) return;
    host.append(heatmap("Observed win rate (row vs column, %)", w.models, w.empirical, w.counts), heatmap("Predicted by Bradley-Terry (%)", w.models, w.predicted, null));
  }

  // ---- views by hash ----

  function stopStream() {
    if (state.stream) { state.stream.close(); state.stream = null; }
  }

  function setView(node) {
    const view = $("#view");
    if (!node) { view.hidden = true; view.replaceChildren(); $("#home").hidden = false; return; }
    $("#home").hidden = true;
    view.hidden = false;
    view.replaceChildren(node);
  }

  function card(title, children, id) {
    return el("section", { className: "card", id: id || null }, [el("div", { className: "card-head" }, [el("h2", { text: title })]), ...children]);
  }

  function kv(rows) {
    return el("table", { className: "data kv" }, [el("tbody", {}, rows.map(([k, v]) => el("tr", {}, [el("th", { text: k }), el("td", { className: "num", text: v })])))]);
  }

  function route() {
    stopStream();
    state.reviewKeys = null;
    const hash = location.hash.replace(/^#/, "") || "/";
    const [path, query] = hash.split("?");
    const params = new URLSearchParams(query || "");
    const decode = (x) => { try { return decodeURIComponent(x); } catch { return x; } };
    const parts = path.split("/").filter(Boolean).map(decode);
    showBanner("");
    showKeyState();
    // A view replaces the last one at once, so a failed load (banner) never leaves stale data on screen.
    if (parts.length > 0) setView(el("p", { className: "muted", text: "loading…" }));
    if (parts[0] === "round" && parts[1]) return void guarded(() => roundView(parts[1]));
    if (parts[0] === "battles") return void guarded(() => battlesView(params));
    if (parts[0] === "battle" && parts[1]) return void guarded(() => battleView(parts[1]));
    if (parts[0] === "review" && parts[1]) return void guarded(() => reviewView(parts[1]));
    if (parts[0] === "loop" && parts[1]) return void guarded(() => loopView(parts[1]));
    if (parts[0] === "generator" && parts[1]) return void guarded(() => generatorView(parts[1]));
    setView(null);
    void loadAll();
  }

  // ---- loop view: versions, held-out ratings, data yield, feedback ----

  /** GET returning text (JSONL exports); throws like api(). */
  async function apiText(path) {
    const res = await fetch(path, { headers: authHeaders() });
    if (res.status === 401 || res.status === 403) throw new AuthError(await errorMessage(res));
    if (!res.ok) throw new Error(path + ": " + (await errorMessage(res)));
    return res.text();
  }

  /** Rows of an export per category, read from each line's provenance (metadata.category). */
  async function rowsPerCategory(kind, iterationId) {
    const format = kind === "sft" ? "messages" : "trl";
    const text = await apiText("/v1/exports/" + kind + "?format=" + format + "&provenance=true&iterationId=" + encodeURIComponent(iterationId));
    const out = new Map();
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const row = JSON.parse(line);
      const c = (row.metadata && row.metadata.category) || "—";
      out.set(c, (out.get(c) || 0) + 1);
    }
    return out;
  }

  /** Held-out rating per version as a line with 95% interval whiskers, x = iteration order. */
  function versionChart(points) {
    const rated = points.filter((p) => p.rating);
    if (rated.length === 0) return el("p", { className: "empty", text: "No held-out ratings yet (the evaluation rounds have not finished)." });
    const width = 760, height = 260, left = 60, right = 20, top = 16, bottom = 56;
    const lo = Math.min(...rated.map((p) => p.rating.ciLow)), hi = Math.max(...rated.map((p) => p.rating.ciHigh));
    const pad = (hi - lo) * 0.08 || 10;
    const y0 = lo - pad, y1 = hi + pad;
    // Versions at the middles of equal slots, so the first and last stay clear of the axes.
    const x = (k) => left + ((k + 0.5) / points.length) * (width - left - right);
    const y = (v) => top + (1 - (v - y0) / (y1 - y0)) * (height - top - bottom);
    const root = svg("svg", { class: "version-chart", viewBox: "0 0 " + width + " " + height, width: "100%", role: "img", "aria-label": "held-out rating per target version" });
    for (const t of niceTicks(y0, y1)) {
      root.append(svg("line", { x1: left, x2: width - right, y1: y(t), y2: y(t), class: "grid" }));
      root.append(svgText({ x: left - 6, y: y(t) + 4, "text-anchor": "end", class: "tick" }, fmt(t, 0)));
    }
    root.append(svg("line", { x1: left, x2: left, y1: top, y2: height - bottom, class: "axis" }));
    root.append(svg("line", { x1: left, x2: width - right, y1: height - bottom, y2: height - bottom, class: "axis" }));
    const path = points.map((p, k) => (p.rating ? [x(k), y(p.rating.rating)] : null)).filter(Boolean);
    if (path.length > 1) root.append(svg("polyline", { points: path.map((q) => q.join(",")).join(" "), class: "line" }));
    points.forEach((p, k) => {
      root.append(svgText({ x: x(k), y: height - bottom + 18, "text-anchor": "middle", class: "tick" }, "#" + p.number));
      root.append(svgText({ x: x(k), y: height - bottom + 34, "text-anchor": "middle", class: "label" }, p.target.length > 22 ? p.target.slice(0, 21) + "…" : p.target));
      if (!p.rating) return;
      const g = svg("g", { class: "version", "data-target": p.target });
      const tip = svg("title");
      tip.textContent = p.target + ": " + fmt(p.rating.rating, 0) + " (" + fmt(p.rating.ciLow, 0) + " to " + fmt(p.rating.ciHigh, 0) + ")";
      g.append(tip, svg("line", { x1: x(k), x2: x(k), y1: y(p.rating.ciLow), y2: y(p.rating.ciHigh), class: "ci" }), svg("circle", { cx: x(k), cy: y(p.rating.rating), r: 4.5, class: "pt" }));
      root.append(g);
    });
    return el("figure", { className: "chart-fig" }, [root, el("figcaption", { className: "small muted", text: "Each target version's Bradley-Terry rating on the held-out set with its 95% interval, in iteration order." })]);
  }

  async function loopView(name) {
    const loop = await api("/v1/loops/" + encodeURIComponent(name));
    const its = loop.iterations;
    const heads = ["#", "target", "opponents", "shard", "training round", "evaluation round", "held-out rating", "95% interval"];
    const roundLink = (id, status) => (id ? el("td", {}, [el("a", { href: "#/round/" + encodeURIComponent(id), text: status || "round" })]) : el("td", { text: "—" }));
    const table = el("table", { className: "data", id: "loop-iterations" }, [
      el("thead", {}, [el("tr", {}, heads.map((h) => el("th", { text: h })))]),
      el("tbody", {}, its.map((i) => el("tr", { "data-iteration": i.id }, [
        el("td", { className: "num", text: i.number }), el("td", { className: "model", text: i.target }), el("td", { text: (i.opponents || []).join(", ") }),
        el("td", { className: "num", text: i.shard }), roundLink(i.roundId, i.roundStatus), roundLink(i.evalRoundId, i.evalRoundStatus),
        el("td", { className: "num rating", text: i.evalRating ? fmt(i.evalRating.rating, 0) : "—" }),
        el("td", { className: "ci-text", text: i.evalRating ? fmt(i.evalRating.ciLow, 0) + " to " + fmt(i.evalRating.ciHigh, 0) : "—" }),
      ]))),
    ]);
    const yieldHost = el("div", { id: "loop-yield" }, [el("p", { className: "muted", text: "loading…" })]);
    const feedbackHost = el("div", { id: "loop-feedback" }, [el("p", { className: "muted", text: "loading…" })]);
    setView(el("div", {}, [
      card("Loop " + loop.name, [
        el("p", { className: "small muted", text: loop.id + " · " + loop.shards + " shards · " + loop.instructions.train + " training and " + loop.instructions.eval + " held-out instructions" }),
        versionChart(its.map((i) => ({ number: i.number, target: i.target, rating: i.evalRating }))),
        table,
      ], "loop-section"),
      card("Training data per iteration (rows per category)", [yieldHost]),
      card("Feedback for the generator (sampling weight per category)", [feedbackHost]),
    ]));
    const yields = [];
    for (const i of its) yields.push({ it: i, sft: await rowsPerCategory("sft", i.id), dpo: await rowsPerCategory("dpo", i.id) });
    const cats = [...new Set(yields.flatMap((y) => [...y.sft.keys(), ...y.dpo.keys()]))].sort();
    yieldHost.replaceChildren(yields.length === 0 ? el("p", { className: "empty", text: "No iterations yet." }) :
      el("table", { className: "data", id: "loop-yield-table" }, [
        el("thead", {}, [el("tr", {}, ["iteration", "category", "SFT rows", "DPO pairs"].map((h) => el("th", { text: h })))]),
        el("tbody", {}, yields.flatMap((y) => cats.filter((c) => y.sft.has(c) || y.dpo.has(c)).map((c) => el("tr", { "data-iteration": y.it.id, "data-category": c }, [
          el("td", { text: "#" + y.it.number + " " + y.it.target }), el("td", { text: c }), el("td", { className: "num sft", text: y.sft.get(c) || 0 }), el("td", { className: "num dpo", text: y.dpo.get(c) || 0 }),
        ])))),
      ]));
    const blocks = [];
    for (const i of its) {
      try {
        const f = await api("/v1/feedback?iterationId=" + encodeURIComponent(i.id));
        blocks.push(el("div", { "data-iteration": i.id }, [el("h3", { text: "#" + i.number + " " + i.target }),
          el("table", { className: "data feedback" }, [
            el("thead", {}, [el("tr", {}, ["category", "weight", "interval", "loss rate (smoothed)", "battles", "complexity"].map((h) => el("th", { text: h })))]),
            el("tbody", {}, f.categories.map((c) => {
              const cx = (f.complexity || []).find((x) => x.category === c.category);
              return el("tr", { "data-category": c.category }, [
                el("td", { text: c.category }), el("td", { className: "num weight", text: fmt(c.weight, 3) }), el("td", { className: "ci-text", text: fmt(c.weightLow, 3) + " to " + fmt(c.weightHigh, 3) }),
                el("td", { className: "num", text: pct(c.smoothedLossRate) }), el("td", { className: "num", text: c.battles }), el("td", { text: cx ? (cx.adjustment > 0 ? "+1 harder" : cx.adjustment < 0 ? "-1 easier" : "0") : "—" }),
              ]);
            })),
          ])]));
      } catch (e) {
        if (e instanceof AuthError) throw e;
        blocks.push(el("p", { className: "muted", text: "#" + i.number + ": " + (e && e.message ? e.message : String(e)) }));
      }
    }
    feedbackHost.replaceChildren(...(blocks.length ? blocks : [el("p", { className: "empty", text: "No iterations yet." })]));
  }

  // ---- generator view: a run's stages, a simulation's groups and routed messages, items, removals ----

  function countTable(id, title, counts) {
    const entries = Object.entries(counts || {}).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    return el("div", {}, [el("h3", { text: title }), entries.length === 0 ? el("p", { className: "empty", text: "none" }) :
      el("table", { className: "data kv", id }, [el("tbody", {}, entries.map(([k, n]) => el("tr", { "data-key": k }, [el("th", { text: k }), el("td", { className: "num", text: n })])))])]);
  }

  /** Numbered stages ("act:2", "route:10") in step order, the others by name. */
  const stageOrder = (a, b) => {
    const [na, sa] = a.split(":"), [nb, sb] = b.split(":");
    return Number(sa || 0) - Number(sb || 0) || (na < nb ? -1 : na > nb ? 1 : 0);
  };

  async function generatorView(id) {
    const base = "/v1/generator/runs/" + encodeURIComponent(id);
    const run = await api(base);
    const stageNames = Object.keys(run.stages || {}).sort(stageOrder);
    const cols = ["stage", "total", "done", "failed", "pending", "running"];
    const stages = el("table", { className: "data", id: "gen-stages" }, [
      el("thead", {}, [el("tr", {}, cols.map((h) => el("th", { text: h })))]),
      el("tbody", {}, stageNames.map((s) => el("tr", { "data-stage": s }, cols.map((c, k) => el("td", { className: k ? "num" : "model", text: k ? run.stages[s][c] || 0 : s }))))),
    ]);
    const removedHost = el("div", { id: "gen-removed" });
    const simHost = el("div", { id: "gen-simulation" });
    setView(el("div", {}, [
      card("Generator run " + (run.name || run.id), [
        el("p", { className: "small muted" }, [el("span", { className: "badge " + run.status, text: run.status }), document.createTextNode(" " + run.kind + " · stage " + run.stage + " · " + run.counts.total + " tasks" + (run.counts.failed ? ", " + run.counts.failed + " failed" : ""))]),
        run.error ? el("p", { className: "banner", text: run.error }) : null,
        stages,
      ], "gen-section"),
      card("Items", [el("div", { className: "heatmaps" }, [countTable("gen-by-status", "by status", run.items.byStatus), countTable("gen-by-kind", "by kind", run.items.byKind), countTable("gen-by-category", "by category", run.items.byCategory)])]),
      card("Removed items", [removedHost]),
      run.state && run.state.agents ? card("Simulation", [simHost]) : null,
    ]));
    const removed = [];
    let cursor = null;
    do {
      const page = await api(base + "/items?status=removed&limit=200" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
      removed.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && removed.length < 1000);
    removedHost.replaceChildren(removed.length === 0 ? el("p", { className: "empty", text: "No item was removed." }) :
      el("table", { className: "data", id: "gen-removed-table" }, [
        el("thead", {}, [el("tr", {}, ["item", "kind", "category", "reason", "collided with", "similarity", "text"].map((h) => el("th", { text: h })))]),
        el("tbody", {}, removed.map((it) => el("tr", { "data-item": it.id }, [
          el("td", { className: "num", text: it.id }), el("td", { text: it.kind }), el("td", { text: it.category }), el("td", { className: "reason", text: it.removalReason || "—" }),
          el("td", { className: "small", text: it.collidedWith ? JSON.stringify(it.collidedWith) : "—" }), el("td", { className: "num", text: fmt(it.similarity, 3) }),
          el("td", {}, [el("details", {}, [el("summary", { text: it.text.length > 60 ? it.text.slice(0, 59) + "…" : it.text }), el("pre", { className: "raw", text: it.text })])]),
        ]))),
      ]));
    if (!(run.state && run.state.agents)) return;
    const scen = await api("/v1/generator/simulations/" + encodeURIComponent(id) + "/scenarios?limit=1000");
    const routeStages = stageNames.filter((s) => s.startsWith("route:"));
    const routed = [];
    for (const s of routeStages) {
      const tasks = await api(base + "/tasks?stage=" + encodeURIComponent(s) + "&limit=10");
      const deliveries = tasks.items.flatMap((t) => (t.output && Array.isArray(t.output.deliveries) ? t.output.deliveries : []));
      routed.push({ stage: s, deliveries });
    }
    simHost.replaceChildren(
      el("p", { id: "gen-groups", text: run.state.agents + " agents in " + run.state.groupSizes.length + " groups (" + run.state.groupSizes.join(", ") + "), grouped by " + (run.state.groupingMethod || "—") }),
      el("h3", { text: "Scenarios by step and group" }),
      el("table", { className: "data", id: "gen-scenarios" }, [
        el("thead", {}, [el("tr", {}, ["step", "group", "participants", "title", "summary"].map((h) => el("th", { text: h })))]),
        el("tbody", {}, scen.items.map((s) => el("tr", { "data-step": s.step, "data-group": s.groupIndex }, [
          el("td", { className: "num", text: s.step }), el("td", { className: "num", text: s.groupIndex }), el("td", { className: "num", text: (s.participants || []).length }),
          el("td", { text: s.title }), el("td", { className: "small", text: s.summary }),
        ]))),
      ]),
      el("h3", { text: "Routed messages" }),
      el("table", { className: "data", id: "gen-routes" }, [
        el("thead", {}, [el("tr", {}, ["step", "messages", "first messages"].map((h) => el("th", { text: h })))]),
        el("tbody", {}, routed.map((r) => el("tr", { "data-stage": r.stage }, [
          el("td", { text: r.stage }), el("td", { className: "num count", text: r.deliveries.length }),
          el("td", {}, [el("details", {}, [el("summary", { text: "show" }), el("ul", {}, r.deliveries.slice(0, 20).map((d) => el("li", { text: "agent " + d.from + " → agent " + d.to + ": " + d.text })))])]),
        ]))),
      ]),
    );
  }

  // ---- round view: live progress over server-sent events, judges, spend ----

  /** EventSource cannot send the key: POST /v1/session sets a short-lived HttpOnly cookie that opens event streams only. */
  async function ensureSession() {
    if (!apiKey()) return;
    await api("/v1/session", { method: "POST" });
  }

  function progressBlock(p) {
    const c = p.counts;
    const finished = c.done + c.failed;
    const share = c.total > 0 ? finished / c.total : 0;
    return el("div", { className: "round-progress", "data-status": p.status }, [
      el("div", {}, [el("span", { className: "badge " + p.status, text: p.status }), el("span", { className: "muted small", text: p.etaSeconds && p.status === "running" ? " ETA " + p.etaSeconds + " s" : "" })]),
      el("div", { className: "progress big" }, [el("div", { className: "fill" + (p.status === "done" ? " done" : ""), style: { width: share * 100 + "%" } })]),
      el("div", { className: "ci-text", id: "round-counts", text: finished + " / " + c.total + " battles" + (c.failed ? " · " + c.failed + " failed" : "") + (c.invalid ? " · " + c.invalid + " invalid" : "") }),
    ]);
  }

  function spendBlock(p) {
    const rows = [["cost", usd(p.costUsd || 0)], ["tokens (prompt)", p.tokens.prompt], ["tokens (completion)", p.tokens.completion], ["answers stored", p.responses], ["judgments", p.judgments.total + " (" + p.judgments.invalid + " invalid)"]];
    if (p.budget) rows.push(["budget", (p.budget.maxCostUsd !== null ? usd(p.budget.maxCostUsd) : "—") + (p.budget.maxTokens !== null ? " · " + p.budget.maxTokens + " tokens" : "")]);
    for (const [kind, n] of Object.entries(p.errors || {})) rows.push(["errors: " + kind, n]);
    return kv(rows);
  }

  function judgesBlock(stats) {
    const heads = ["judge", "judgments", "invalid", "swap agreement", "first position wins", "longer answer wins", "human agreement (with ties)", "without ties", "kappa vs humans"];
    const body = stats.judges.map((j) => {
      const h = j.humanAgreement || {};
      return el("tr", { "data-judge": j.judge }, [
        el("td", { className: "model", text: j.judge }), el("td", { className: "num", text: j.judgments }), el("td", { className: "num", text: pct(j.invalidRate) }),
        el("td", { className: "num", text: pct(j.swapAgreementRate) }), el("td", { className: "num", text: pct(j.firstPositionWinRate) }), el("td", { className: "num", text: pct(j.longerAnswerWinRate) }),
        el("td", { className: "num human-with", text: pct(h.withTies) + (h.pairs ? " (" + h.pairs + ")" : "") }), el("td", { className: "num human-without", text: pct(h.withoutTies) }), el("td", { className: "num", text: fmt(h.kappa, 3) }),
      ]);
    });
    const ag = stats.agreement || {};
    const pairRows = (ag.pairs || []).map((p) => el("tr", { "data-pair": p.judgeA + "|" + p.judgeB }, [
      el("td", { className: "model", text: p.judgeA + " · " + p.judgeB }), el("td", { className: "num", text: p.battles }),
      el("td", { className: "num", text: pct(p.rawAgreement) }), el("td", { className: "num kappa", text: fmt(p.kappa, 3) }),
    ]));
    if (ag.fleiss && ag.fleiss.judges && ag.fleiss.judges.length > 1) {
      pairRows.push(el("tr", { "data-pair": "fleiss" }, [el("td", { className: "model", text: "Fleiss' kappa, all " + ag.fleiss.judges.length + " judges" }), el("td", { className: "num", text: ag.fleiss.battles }), el("td", { className: "num", text: "" }), el("td", { className: "num kappa", text: fmt(ag.fleiss.kappa, 3) })]));
    }
    const agreement = pairRows.length === 0 ? null : el("div", {}, [el("h3", { text: "Agreement between judges" }),
      el("table", { className: "data", id: "judge-agreement" }, [el("thead", {}, [el("tr", {}, ["judges", "battles", "same verdict", "Cohen's kappa"].map((h) => el("th", { text: h })))]), el("tbody", {}, pairRows)])]);
    const humans = stats.humans || {};
    const hh = humans.humanHuman || {};
    return el("div", {}, [
      el("table", { className: "data", id: "judge-stats" }, [el("thead", {}, [el("tr", {}, heads.map((h) => el("th", { text: h })))]), el("tbody", {}, body)]),
      agreement,
      el("p", { className: "small muted", id: "human-summary", text: "Human verdicts: " + (humans.verdicts || 0) + " on " + (humans.battles || 0) + " battles by " + (humans.reviewers || 0) + " reviewers" + (hh.pairs ? " · human-human agreement " + pct(hh.withTies) + " over " + hh.pairs + " pairs" : "") + "." }),
    ]);
  }

  async function roundView(id) {
    const base = "/v1/rounds/" + encodeURIComponent(id);
    const p = await api(base);
    const live = el("div", { id: "round-live" }, [progressBlock(p)]);
    const spend = el("div", { id: "round-spend" }, [spendBlock(p)]);
    const judges = el("div", { id: "round-judges" }, [el("p", { className: "muted", text: "loading…" })]);
    const streamNote = el("p", { className: "small muted", id: "round-stream" });
    setView(el("div", {}, [
      card("Round " + (p.name || p.id), [
        el("p", { className: "small muted" }, [document.createTextNode(p.id + " · " + p.pairing + " · candidates: " + p.candidates.join(", ") + " · judges: " + p.judges.join(", "))]),
        live, streamNote,
        el("p", { className: "links" }, [
          el("a", { href: "#/battles?roundId=" + encodeURIComponent(id), text: "inspect battles" }),
          el("a", { href: "#/review/" + encodeURIComponent(id), text: "review battles" }),
          el("a", { href: "/v1/reports/rounds/" + encodeURIComponent(id), "data-api": "open", text: "report" }),
        ]),
      ], "round-section"),
      card("Spend", [spend]),
      card("Judges", [judges], "judges-section"),
    ]));
    const refresh = (q) => { live.replaceChildren(progressBlock(q)); spend.replaceChildren(spendBlock(q)); };
    const loadJudges = async () => judges.replaceChildren(judgesBlock(await api(base + "/judges")));
    await loadJudges();
    if (["done", "failed", "cancelled", "budget_exhausted"].includes(p.status)) { streamNote.textContent = "finished"; return; }
    await ensureSession();
    const es = new EventSource(base + "/events?intervalMs=500");
    state.stream = es;
    streamNote.textContent = "live (server-sent events)";
    es.addEventListener("progress", (ev) => refresh(JSON.parse(ev.data)));
    es.addEventListener("end", (ev) => {
      refresh(JSON.parse(ev.data));
      es.close();
      streamNote.textContent = "finished";
      void guarded(loadJudges);
    });
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) streamNote.textContent = "stream closed: reload the view to follow again";
    };
  }

  // ---- battle inspector ----

  const OUTCOMES = [["", "any outcome"], ["a", "model A won"], ["b", "model B won"], ["tie", "tie"], ["none", "not judged"]];
  const outcomeText = (o) => (o === null || o === undefined ? "not judged" : o > 0.5 ? "A wins (" + fmt(o, 2) + ")" : o < 0.5 ? "B wins (" + fmt(o, 2) + ")" : "tie");
  const HUMAN_TEXT = { A: "model A", B: "model B", tie: "tie", "both-bad": "both bad" };

  async function battlesView(params) {
    const q = new URLSearchParams();
    for (const k of ["roundId", "model", "category", "outcome", "cursor"]) if (params.get(k)) q.set(k, params.get(k));
    q.set("limit", "25");
    const data = await api("/v1/battles?" + q.toString());
    const form = el("form", { className: "controls", id: "battle-filter" });
    const input = (name, label) => el("label", {}, [document.createTextNode(label + " "), el("input", { name, value: params.get(name) || "", spellcheck: "false" })]);
    const outcome = el("select", { name: "outcome" }, OUTCOMES.map(([v, t]) => el("option", { value: v, text: t })));
    outcome.value = params.get("outcome") || "";
    form.append(input("roundId", "round"), input("model", "model"), input("category", "category"), el("label", {}, [document.createTextNode("outcome "), outcome]), el("button", { type: "submit", text: "Search" }));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (String(v).trim()) next.set(k, String(v).trim());
      location.hash = "#/battles?" + next.toString();
    });
    const rows = data.items.map((b) => el("tr", { "data-battle": b.id }, [
      el("td", { className: "num" }, [el("a", { href: "#/battle/" + b.id, text: "#" + b.id })]),
      el("td", { className: "model", text: b.modelA }), el("td", { className: "model", text: b.modelB }),
      el("td", { text: b.category || "—" }), el("td", { className: "outcome", text: outcomeText(b.outcome) }),
      el("td", { text: b.labelSource === "human" ? "human" : b.humanVerdicts.length ? b.humanVerdicts.length + " human" : "" }),
      el("td", { className: "small muted", text: b.roundId || b.source }),
    ]));
    const pager = el("p", { className: "links" });
    if (params.get("cursor")) { const back = new URLSearchParams(q); back.delete("cursor"); back.delete("limit"); pager.append(el("a", { href: "#/battles?" + back.toString(), text: "first page" })); }
    if (data.nextCursor) { const next = new URLSearchParams(q); next.set("cursor", data.nextCursor); next.delete("limit"); pager.append(el("a", { href: "#/battles?" + next.toString(), id: "next-page", text: "next page" })); }
    setView(card("Battles", [
      form,
      data.items.length === 0 ? el("p", { className: "empty", text: "No battles match." }) :
        el("table", { className: "data", id: "battles" }, [el("thead", {}, [el("tr", {}, ["battle", "model A", "model B", "category", "outcome", "review", "round"].map((h) => el("th", { text: h })))]), el("tbody", {}, rows)]),
      pager,
    ], "battles-section"));
  }

  function answerBox(title, text, cls) {
    const body = el("div", { className: "md answer-body" });
    if (text === null || text === undefined) body.append(el("p", { className: "empty", text: "no stored answer (an imported battle)" }));
    else body.append(window.MatrixArenaMarkdown.renderMarkdown(text, document));
    return el("div", { className: "answer " + (cls || "") }, [el("h3", { text: title }), body]);
  }

  /**
   * A multi-turn side: each later user turn, then this side's answer to it; the last answer keeps the
   * `answer-body` class the single-turn box has. `turns` are the user turns, `answers` this side's answers.
   */
  function conversationBox(title, turns, answers, cls) {
    const md = (text) => window.MatrixArenaMarkdown.renderMarkdown(text, document);
    const parts = [el("h3", { text: title })];
    answers.forEach((a, i) => {
      if (i > 0) parts.push(el("div", { className: "msg turn-user" }, [el("span", { className: "role", text: "user · turn " + (i + 1) }), el("div", { className: "md" }, [md(turns[i] || "")])]));
      parts.push(el("div", { className: "msg turn-answer" }, [el("span", { className: "role", text: "answer · turn " + (i + 1) }), el("div", { className: "md" + (i === answers.length - 1 ? " answer-body" : "") }, [md(a)])]));
    });
    return el("div", { className: "answer conversation " + (cls || "") }, parts);
  }

  /** Both sides: conversations for a multi-turn battle, answers otherwise. */
  function sides(titleA, titleB, answerA, answerB, turns, turnsA, turnsB) {
    if (turns && turnsA && turnsB) return el("div", { className: "side-by-side" }, [conversationBox(titleA, turns, turnsA, "a"), conversationBox(titleB, turns, turnsB, "b")]);
    return el("div", { className: "side-by-side" }, [answerBox(titleA, answerA, "a"), answerBox(titleB, answerB, "b")]);
  }

  function instructionBox(instruction) {
    if (!instruction) return el("p", { className: "empty", text: "no instruction stored (an imported battle)" });
    return el("div", { className: "instruction" }, instruction.messages.map((m) => el("div", { className: "msg" }, [el("span", { className: "role", text: m.role }), el("div", { className: "md" }, [window.MatrixArenaMarkdown.renderMarkdown(m.content, document)])])));
  }

  async function battleView(id) {
    const b = await api("/v1/battles/" + encodeURIComponent(id));
    const judgments = el("table", { className: "data", id: "judgments" }, [
      el("thead", {}, [el("tr", {}, ["judge", "order", "verdict", "valid", "attempts", "tokens", "raw text"].map((h) => el("th", { text: h })))]),
      el("tbody", {}, b.judgments.map((j) => el("tr", { "data-judge": j.judge, "data-order": j.order }, [
        el("td", { className: "model", text: j.judge }), el("td", { text: j.order === "AB" ? "A shown first" : "B shown first" }), el("td", { text: j.verdict || "—" }),
        el("td", { text: j.valid ? "yes" : "no" }), el("td", { className: "num", text: j.attempts }), el("td", { className: "num", text: j.promptTokens + j.completionTokens }),
        el("td", {}, [el("details", {}, [el("summary", { text: "raw" }), el("pre", { className: "raw", text: j.rawText || "" })])]),
      ]))),
    ]);
    const humans = b.humanVerdicts.length === 0 ? el("p", { className: "muted", text: "No human verdicts." }) :
      el("ul", { id: "human-verdicts" }, b.humanVerdicts.map((h) => el("li", { text: HUMAN_TEXT[h.verdict] + (h.note ? ": " + h.note : "") + " (" + h.reviewerKind + ", " + new Date(h.updatedAt).toLocaleString() + ")" })));
    setView(el("div", {}, [
      card("Battle #" + b.id, [
        el("p", { className: "small muted", text: (b.roundId ? "round " + b.roundId : b.source) + " · category " + (b.category || "—") + " · status " + b.status }),
        el("p", { id: "battle-outcome" }, [el("strong", { text: "Outcome: " + outcomeText(b.outcome) }), document.createTextNode(" · label from " + b.labelSource + (b.labelSource === "human" ? " (judges said " + outcomeText(b.judgeOutcome) + ")" : "") + (b.margin !== null ? " · margin " + fmt(b.margin, 2) : ""))]),
        el("h3", { text: "Instruction" }), instructionBox(b.instruction),
        sides("A: " + b.modelA, "B: " + b.modelB, b.answerA, b.answerB, b.instruction && b.instruction.turns, b.turnsA, b.turnsB),
      ], "battle-section"),
      card("Judgments (both orders)", [judgments]),
      card("Human verdicts", [humans]),
    ]));
  }

  // ---- review: the blind queue, keyboard first ----

  const CHOICE_KEYS = { "1": "A", "2": "B", "3": "tie", "4": "both-bad" };

  async function reviewView(roundId) {
    const base = "/v1/rounds/" + encodeURIComponent(roundId) + "/review";
    const status = el("p", { className: "small muted", id: "review-status" });
    const host = el("div", { id: "review-item" });
    const note = el("textarea", { id: "review-note", rows: 2, maxlength: 2000, placeholder: "optional note (n to focus, Esc to leave)" });
    const buttons = el("div", { className: "review-buttons" }, Object.entries(CHOICE_KEYS).map(([k, choice]) => el("button", { type: "button", "data-choice": choice, text: k + " · " + (choice === "A" ? "A is better" : choice === "B" ? "B is better" : choice === "tie" ? "tie" : "both bad") })));
    const done = el("p", { className: "small", id: "review-done" });
    setView(card("Review round " + roundId, [
      el("p", { className: "small muted", text: "Two answers in a random order; the models are hidden. Keys: 1 = A better, 2 = B better, 3 = tie, 4 = both bad, n = note." }),
      status, host, note, buttons, done,
    ], "review-section"));
    let queue = [];
    let current = null;
    let sent = 0;
    let busy = false;
    const show = () => {
      current = queue.shift() || null;
      note.value = "";
      if (!current) { host.replaceChildren(el("p", { className: "empty", id: "review-empty", text: "Nothing left to review in this round." })); buttons.hidden = true; note.hidden = true; return; }
      buttons.hidden = false; note.hidden = false;
      host.replaceChildren(el("div", { "data-item": current.id }, [
        el("p", { className: "small muted", text: "category " + current.instruction.category }),
        instructionBox(current.instruction),
        current.conversation ? sides("A", "B", current.answers.A, current.answers.B, current.conversation.turns, current.conversation.A, current.conversation.B) : sides("A", "B", current.answers.A, current.answers.B),
      ]));
    };
    const fill = async () => {
      const q = await api(base + "?limit=10");
      queue = q.items;
      status.textContent = q.remaining + " battles left for you · queued: " + q.queued["jury-disagreement"] + " judges disagree, " + q.queued["swap-inconsistency"] + " orders disagree, " + q.queued.sample + " sampled";
      show();
    };
    const choose = async (choice) => {
      if (!current || busy) return;
      busy = true;
      try {
        const body = { id: current.id, choice };
        const text = note.value.trim();
        if (text) body.note = text;
        await api(base, { method: "POST", body });
        sent += 1;
        done.textContent = sent + " verdict" + (sent === 1 ? "" : "s") + " sent";
        if (queue.length === 0) await fill(); else show();
      } finally { busy = false; }
    };
    for (const b of buttons.querySelectorAll("button")) b.addEventListener("click", () => void guarded(() => choose(b.getAttribute("data-choice"))));
    state.reviewKeys = (ev) => {
      if (ev.target === note) { if (ev.key === "Escape") note.blur(); return; }
      if (ev.target instanceof HTMLInputElement || ev.target instanceof HTMLTextAreaElement || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (CHOICE_KEYS[ev.key]) { ev.preventDefault(); void guarded(() => choose(CHOICE_KEYS[ev.key])); }
      else if (ev.key === "n") { ev.preventDefault(); note.focus(); }
    };
    await fill();
  }

  document.addEventListener("keydown", (ev) => { if (state.reviewKeys) state.reviewKeys(ev); });

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
      await loadWinRates();
      await loadIterations();
      await loadGeneratorRuns();
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
      route();
    });
    $("#key-clear").addEventListener("click", () => {
      state.memKey = "";
      try { sessionStorage.removeItem(KEY_STORE); } catch { /* nothing stored */ }
      route();
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
      void guarded(async () => { await loadCategories(); await loadLeaderboard(); await loadWinRates(); await loadScores(); });
    });
    $("#lb-category").addEventListener("change", (ev) => {
      state.category = ev.target.value;
      void guarded(async () => { await loadLeaderboard(); await loadWinRates(); await loadScores(); });
    });
    $("#lb-judge").addEventListener("change", (ev) => {
      state.judge = ev.target.value;
      void guarded(loadLeaderboard);
    });
    $("#sc-score").addEventListener("change", () => void guarded(loadScores));
    $("#sc-baseline").addEventListener("change", () => void guarded(loadScores));
    $("#lb-style").addEventListener("change", (ev) => {
      state.styleControl = ev.target.checked;
      void guarded(loadLeaderboard);
    });
    window.addEventListener("hashchange", route);
  }

  wire();
  route();
})();
