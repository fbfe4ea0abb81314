/**
 * The dashboard's Markdown subset (src/http/dashboard/markdown.js), table-driven on its pure parser:
 * the file is the browser script itself, run in a fresh VM context. Expected trees are written out
 * by hand from the subset's rules; hostile input (raw HTML, javascript:/data:/relative links) must
 * come out as plain text spans. The DOM side is exercised in tests/e2e/dashboard-views.test.ts.
 */
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";

type Tree = unknown;
const sandbox: { MatrixArenaMarkdown?: { parseMarkdown(s: string): Tree; parseInline(s: string): Tree; safeHref(s: string): string | null } } = {};
runInNewContext(readFileSync(new URL("../../src/http/dashboard/markdown.js", import.meta.url), "utf8"), { globalThis: sandbox });
const md = sandbox.MatrixArenaMarkdown!;
const t = (text: string) => ({ type: "text", text });

describe("dashboard markdown subset", () => {
  it.each([
    ["plain", "hello", [t("hello")]],
    ["code span", "a `x<y>` b", [t("a "), { type: "code", text: "x<y>" }, t(" b")]],
    ["strong", "**bold**", [{ type: "strong", children: [t("bold")] }]],
    ["em", "*it*", [{ type: "em", children: [t("it")] }]],
    ["lone star stays", "2 * 3 = 6", [t("2 * 3 = 6")]],
    ["https link", "[x](https://e.org/a?b=1)", [{ type: "link", href: "https://e.org/a?b=1", children: [t("x")] }]],
    ["javascript link -> text", "[click](javascript:alert(1))", [t("click"), t(")")]],
    ["data link -> text", "[c](data:text/html,hi)", [t("c")]],
    ["relative link -> text", "[c](/v1/keys)", [t("c")]],
    ["protocol-relative -> text", "[c](//evil.example)", [t("c")]],
    ["quote in url -> text", '[c](https://e.org/"onmouseover=x)', [t("c")]],
    ["raw html is text", "<script>alert(1)</script>", [t("<script>alert(1)</script>")]],
    ["line break", "a\nb", [t("a"), { type: "br" }, t("b")]],
  ])("inline: %s", (_n, input, want) => {
    expect(md.parseInline(input)).toEqual(want);
  });

  it.each([
    ["paragraphs", "one\n\ntwo", [{ type: "p", children: [t("one")] }, { type: "p", children: [t("two")] }]],
    ["fenced code keeps html literal", "```js\n<b>x</b>\n```", [{ type: "codeblock", lang: "js", text: "<b>x</b>" }]],
    ["heading", "## Title", [{ type: "heading", level: 2, children: [t("Title")] }]],
    ["bullets", "- a\n- b", [{ type: "ul", items: [[t("a")], [t("b")]] }]],
    ["numbers", "1. a\n2. b", [{ type: "ol", items: [[t("a")], [t("b")]] }]],
    ["quote", "> q", [{ type: "quote", children: [t("q")] }]],
    ["trace first", "<think>why</think>\nanswer", [{ type: "trace", text: "why" }, { type: "p", children: [t("answer")] }]],
    ["crlf", "a\r\n\r\nb", [{ type: "p", children: [t("a")] }, { type: "p", children: [t("b")] }]],
    ["empty", "", []],
    ["unclosed fence runs to the end", "```\ncode", [{ type: "codeblock", lang: "", text: "code" }]],
  ])("blocks: %s", (_n, input, want) => {
    expect(md.parseMarkdown(input)).toEqual(want);
  });

  it.each([
    ["https://a.b/c", "https://a.b/c"],
    ["HTTP://A.B", "HTTP://A.B"],
    ["javascript:alert(1)", null],
    ["  javascript:alert(1)", null],
    ["vbscript:x", null],
    ["ftp://a.b", null],
    ["https://a.b/<x>", null],
    ["", null],
  ])("safeHref(%j)", (input, want) => {
    expect(md.safeHref(input)).toBe(want);
  });
});
