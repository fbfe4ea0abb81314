// matrix-arena dashboard: a small, safe Markdown subset for model answers (hostile input).
// parseMarkdown(text) is pure: it turns text into a tree of plain objects and never produces HTML;
// renderMarkdown(text, document) builds DOM nodes from that tree with createElement/textContent only,
// so no raw HTML can reach the page. Supported: fenced code, headings, lists, block quotes,
// paragraphs with line breaks, `code`, **strong**, *em* / _em_, [links](http(s) only, rel=noopener),
// and a leading <think>...</think> reasoning trace (shown collapsed). Anything else stays literal text.
"use strict";
(function (root) {
  const SAFE_URL = /^https?:\/\/[^\s<>"'`]+$/i;

  /** A link target the page may use: absolute http(s) only (no javascript:, data:, relative or protocol-relative). */
  function safeHref(url) {
    const u = String(url).trim();
    return SAFE_URL.test(u) ? u : null;
  }

  /** Inline spans of one block's text: text, code, strong, em, link, br. */
  function parseInline(text) {
    const out = [];
    let buf = "";
    const flush = () => { if (buf) { out.push({ type: "text", text: buf }); buf = ""; } };
    let i = 0;
    while (i < text.length) {
      const ch = text[i];
      if (ch === "\n") { flush(); out.push({ type: "br" }); i += 1; continue; }
      if (ch === "`") {
        const end = text.indexOf("`", i + 1);
        if (end > i + 1) { flush(); out.push({ type: "code", text: text.slice(i + 1, end) }); i = end + 1; continue; }
      }
      if ((ch === "*" || ch === "_") && text[i + 1] === ch) {
        const end = text.indexOf(ch + ch, i + 2);
        if (end > i + 2) { flush(); out.push({ type: "strong", children: parseInline(text.slice(i + 2, end)) }); i = end + 2; continue; }
      }
      if (ch === "*" || ch === "_") {
        const end = text.indexOf(ch, i + 1);
        if (end > i + 1 && text[i + 1] !== " " && text[end - 1] !== " " && text.slice(i + 1, end).indexOf("\n") < 0) {
          flush(); out.push({ type: "em", children: parseInline(text.slice(i + 1, end)) }); i = end + 1; continue;
        }
      }
      if (ch === "[") {
        const close = text.indexOf("](", i + 1);
        const end = close < 0 ? -1 : text.indexOf(")", close + 2);
        if (close > i && end > close && text.slice(i + 1, close).indexOf("\n") < 0) {
          const label = text.slice(i + 1, close);
          const href = safeHref(text.slice(close + 2, end));
          flush();
          // An unsafe target keeps its label as text and drops the target: nothing clickable.
          out.push(href ? { type: "link", href, children: parseInline(label) } : { type: "text", text: label });
          i = end + 1;
          continue;
        }
      }
      buf += ch;
      i += 1;
    }
    flush();
    return out;
  }

  /** Block tree of a whole answer. */
  function parseMarkdown(input) {
    let text = String(input === undefined || input === null ? "" : input).replace(/\r\n?/g, "\n");
    const blocks = [];
    const trace = /^\s*<think>([\s\S]*?)<\/think>\s*/.exec(text);
    if (trace) { blocks.push({ type: "trace", text: trace[1].trim() }); text = text.slice(trace[0].length); }
    const lines = text.split("\n");
    let i = 0;
    let para = [];
    const endPara = () => { if (para.length) { blocks.push({ type: "p", children: parseInline(para.join("\n")) }); para = []; } };
    while (i < lines.length) {
      const line = lines[i];
      const fence = /^\s*```\s*([\w+#.-]*)\s*$/.exec(line);
      if (fence) {
        endPara();
        const body = [];
        i += 1;
        while (i < lines.length && !/^\s*```\s*$/.test(lines[i])) { body.push(lines[i]); i += 1; }
        i += 1;
        blocks.push({ type: "codeblock", lang: fence[1] || "", text: body.join("\n") });
        continue;
      }
      const heading = /^(#{1,6})\s+(.*)$/.exec(line);
      if (heading) { endPara(); blocks.push({ type: "heading", level: heading[1].length, children: parseInline(heading[2].trim()) }); i += 1; continue; }
      const bullet = /^\s*([-*+]|\d{1,9}[.)])\s+/;
      if (bullet.test(line)) {
        endPara();
        const ordered = /^\s*\d/.test(line);
        const items = [];
        while (i < lines.length && bullet.test(lines[i]) && /^\s*\d/.test(lines[i]) === ordered) {
          items.push(parseInline(lines[i].replace(bullet, "")));
          i += 1;
        }
        blocks.push({ type: ordered ? "ol" : "ul", items });
        continue;
      }
      if (/^\s*>\s?/.test(line)) {
        endPara();
        const body = [];
        while (i < lines.length && /^\s*>\s?/.test(lines[i])) { body.push(lines[i].replace(/^\s*>\s?/, "")); i += 1; }
        blocks.push({ type: "quote", children: parseInline(body.join("\n")) });
        continue;
      }
      if (line.trim() === "") { endPara(); i += 1; continue; }
      para.push(line);
      i += 1;
    }
    endPara();
    return blocks;
  }

  function inlineNodes(doc, spans, parent) {
    for (const s of spans) {
      if (s.type === "text") parent.append(doc.createTextNode(s.text));
      else if (s.type === "br") parent.append(doc.createElement("br"));
      else if (s.type === "code") { const c = doc.createElement("code"); c.textContent = s.text; parent.append(c); }
      else if (s.type === "strong" || s.type === "em") { const n = doc.createElement(s.type); inlineNodes(doc, s.children, n); parent.append(n); }
      else if (s.type === "link") {
        const a = doc.createElement("a");
        a.setAttribute("href", s.href);
        a.setAttribute("rel", "noopener noreferrer nofollow");
        a.setAttribute("target", "_blank");
        inlineNodes(doc, s.children, a);
        parent.append(a);
      }
    }
  }

  /** A DocumentFragment for the answer; built with createElement and text nodes only. */
  function renderMarkdown(text, doc) {
    const frag = doc.createDocumentFragment();
    for (const b of parseMarkdown(text)) {
      let node;
      if (b.type === "trace") {
        node = doc.createElement("details");
        node.className = "trace";
        const sum = doc.createElement("summary");
        sum.textContent = "reasoning trace (" + b.text.length + " characters)";
        const pre = doc.createElement("pre");
        pre.textContent = b.text;
        node.append(sum, pre);
      } else if (b.type === "codeblock") {
        node = doc.createElement("pre");
        const code = doc.createElement("code");
        code.textContent = b.text;
        if (b.lang) code.setAttribute("data-lang", b.lang);
        node.append(code);
      } else if (b.type === "heading") {
        node = doc.createElement("h" + Math.min(6, b.level + 2));
        inlineNodes(doc, b.children, node);
      } else if (b.type === "ul" || b.type === "ol") {
        node = doc.createElement(b.type);
        for (const item of b.items) { const li = doc.createElement("li"); inlineNodes(doc, item, li); node.append(li); }
      } else if (b.type === "quote") {
        node = doc.createElement("blockquote");
        inlineNodes(doc, b.children, node);
      } else {
        node = doc.createElement("p");
        inlineNodes(doc, b.children, node);
      }
      frag.append(node);
    }
    return frag;
  }

  root.MatrixArenaMarkdown = { parseMarkdown, parseInline, renderMarkdown, safeHref };
})(globalThis);
