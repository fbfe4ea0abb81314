// SVG charts: nice axis steps, error-bar geometry for hand-computed intervals, heatmap colours and
// cell layout, escaping of user-supplied names, and XML well-formedness (tiny checker below).
import { describe, expect, it } from "vitest";
import { errorBarChart, type IntervalItem } from "../../reports/render/error-bar-chart.js";
import { HEAT_EMPTY, heatColor, heatmap, heatTextColor } from "../../reports/render/heatmap.js";
import { niceDomain, niceStep, ticks } from "../../reports/render/scale.js";

/**
 * A minimal XML well-formedness check: tags nest and close, attributes are name="value" without raw
 * `<`, and `&` appears only in entity references. Returns the first problem, or null.
 */
function xmlProblem(xml: string): string | null {
  const stack: string[] = [];
  const entity = /&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);/y;
  const attr = /\s+([A-Za-z_:][\w:.-]*)\s*=\s*("[^"<]*"|'[^'<]*')/y;
  let i = 0;
  let root = 0;
  while (i < xml.length) {
    const ch = xml[i];
    if (ch === "&") {
      entity.lastIndex = i;
      if (!entity.test(xml)) return `bare & at ${i}`;
      i = entity.lastIndex;
    } else if (ch !== "<") i++;
    else if (xml.startsWith("<!--", i)) i = xml.indexOf("-->", i) + 3;
    else if (xml[i + 1] === "/") {
      const m = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(xml.slice(i));
      if (!m || stack.pop() !== m[1]) return `bad closing tag at ${i}`;
      i += m[0].length;
    } else {
      const m = /^<([A-Za-z_][\w:.-]*)/.exec(xml.slice(i));
      if (!m?.[1]) return `bad tag at ${i}`;
      if (stack.length === 0 && ++root > 1) return "more than one root element";
      i += m[0].length;
      for (attr.lastIndex = i; attr.test(xml); attr.lastIndex = i) i = attr.lastIndex;
      const end = /^\s*(\/?)>/.exec(xml.slice(i));
      if (!end) return `bad attribute or unclosed tag <${m[1]}> at ${i}`;
      if (end[1] !== "/") stack.push(m[1]);
      i += end[0].length;
    }
  }
  return stack.length === 0 ? null : `unclosed <${stack.join("> <")}>`;
}

describe("xmlProblem (the checker the other tests rely on)", () => {
  const cases = [
    { xml: '<svg a="1"><g><text>x &amp; y</text></g></svg>', ok: true },
    { xml: "<svg><g></svg>", ok: false },
    { xml: "<svg><text>a < b</text></svg>", ok: false },
    { xml: "<svg><text>R&D</text></svg>", ok: false },
    { xml: '<svg a="<b>"></svg>', ok: false },
    { xml: "<svg a=1></svg>", ok: false },
    { xml: "<svg/><svg/>", ok: false },
    { xml: '<svg><rect x="1"/><!-- c --></svg>', ok: true },
  ];
  it.each(cases)("$xml -> ok=$ok", ({ xml, ok }) => {
    expect(xmlProblem(xml) === null).toBe(ok);
  });
});

describe("niceStep and niceDomain", () => {
  const steps = [
    { span: 100, want: 20 },
    { span: 170, want: 50 },
    { span: 1, want: 0.2 },
    { span: 7, want: 2 },
    { span: 0.03, want: 0.01 },
    { span: 4000, want: 1000 },
  ];
  it.each(steps)("span $span -> step $want", ({ span, want }) => {
    expect(niceStep(span, 5)).toBeCloseTo(want, 12);
  });
  const domains = [
    // [880, 1050]: span 170 -> step 50; floor(17.6) = 17, ceil(21) = 21.
    { min: 880, max: 1050, want: { lo: 850, hi: 1050, step: 50 } },
    // A single point is padded by 50 each side: [950, 1050], span 100 -> step 20; 47.5 and 52.5 round outwards.
    { min: 1000, max: 1000, want: { lo: 940, hi: 1060, step: 20 } },
    { min: -12, max: 33, want: { lo: -20, hi: 40, step: 10 } },
  ];
  it.each(domains)("[$min, $max]", ({ min, max, want }) => {
    expect(niceDomain(min, max)).toEqual(want);
  });
  it("lists ticks from lo to hi", () => {
    expect(ticks({ lo: 850, hi: 1050, step: 50 })).toEqual([850, 900, 950, 1000, 1050]);
  });
});

const attrs = (tag: string): Record<string, string> => Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1] ?? "", m[2] ?? ""]));
const rowsOf = (svg: string) =>
  [...svg.matchAll(/<g class="row" data-model="([^"]*)">.*?<\/g>/g)].map((m) => {
    const ci = attrs(/<line class="ci"[^>]*>/.exec(m[0])?.[0] ?? "");
    const pt = attrs(/<circle class="point"[^>]*>/.exec(m[0])?.[0] ?? "");
    return { model: m[1], x1: Number(ci.x1), x2: Number(ci.x2), y: Number(ci.y1), cx: Number(pt.cx) };
  });

describe("errorBarChart geometry", () => {
  // x = left + (v - lo) / (hi - lo) * (width - left - right); row i at y = 40 + (i + 0.5) * 28.
  const cases: { name: string; items: IntervalItem[]; opts: Parameters<typeof errorBarChart>[1]; want: { model: string; x1: number; x2: number; y: number; cx: number }[] }[] = [
    {
      // Extent [880, 1050], span 170 / 8 ticks = 21.25 -> step 50: domain [850, 1050]; plot 100..500 px, 2 px a point.
      name: "default nice domain",
      items: [
        { model: "a", rating: 1000, ciLow: 950, ciHigh: 1050 },
        { model: "b", rating: 900, ciLow: 880, ciHigh: 930 },
      ],
      opts: { width: 600, marginLeft: 100, marginRight: 100 },
      want: [
        { model: "a", x1: 300, x2: 500, y: 54, cx: 400 },
        { model: "b", x1: 160, x2: 260, y: 82, cx: 200 },
      ],
    },
    {
      // Domain [0, 100] over 50..350 px: 3 px per point.
      name: "explicit domain",
      items: [{ model: "only", rating: 40, ciLow: 10, ciHigh: 70 }],
      opts: { width: 400, marginLeft: 50, marginRight: 50, domain: { lo: 0, hi: 100, step: 25 } },
      want: [{ model: "only", x1: 80, x2: 260, y: 54, cx: 170 }],
    },
    {
      // Zero-width interval: padded to [950, 1050], span 100 / 8 = 12.5 -> step 20: [940, 1060]; 1000 mid-plot.
      name: "point interval",
      items: [{ model: "p", rating: 1000, ciLow: 1000, ciHigh: 1000 }],
      opts: { width: 600, marginLeft: 100, marginRight: 100 },
      want: [{ model: "p", x1: 300, x2: 300, y: 54, cx: 300 }],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const svg = errorBarChart(tc.items, tc.opts);
      expect(rowsOf(svg)).toEqual(tc.want);
      expect(xmlProblem(svg)).toBeNull();
    });
  }

  it("draws the axis ticks at the hand-computed positions", () => {
    const svg = errorBarChart(cases[0]?.items ?? [], { width: 600, marginLeft: 100, marginRight: 100 });
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="middle" fill="#6b7280">(\d+)<\/text>/g)].map((m) => [Number(m[1]), m[2]]);
    expect(labels).toEqual([[100, "850"], [200, "900"], [300, "950"], [400, "1000"], [500, "1050"]]);
  });

  it("is a standalone SVG document with its own namespace and size", () => {
    const svg = errorBarChart([{ model: "a", rating: 1, ciLow: 0, ciHigh: 2 }]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="720" height="\d+" viewBox="0 0 720 \d+"/);
    expect(svg).not.toMatch(/<script|href=|@import|url\(/);
  });

  it("renders an empty chart that still parses", () => {
    const svg = errorBarChart([]);
    expect(svg).toContain("No rated battles yet");
    expect(xmlProblem(svg)).toBeNull();
  });
});

describe("heatColor: RdBu end points, linear RGB in between", () => {
  const cases = [
    { v: 0, want: "#b2182b" },
    { v: 0.5, want: "#f7f7f7" },
    { v: 1, want: "#2166ac" },
    // Midway b2182b -> f7f7f7: (178+247)/2 = 212.5 -> d5, (24+247)/2 = 135.5 -> 88, (43+247)/2 = 145 -> 91.
    { v: 0.25, want: "#d58891" },
    // Midway f7f7f7 -> 2166ac: (247+33)/2 = 140 -> 8c, (247+102)/2 = 174.5 -> af, (247+172)/2 = 209.5 -> d2.
    { v: 0.75, want: "#8cafd2" },
    { v: -0.2, want: "#b2182b" },
    { v: 1.3, want: "#2166ac" },
    { v: null, want: HEAT_EMPTY },
  ];
  it.each(cases)("$v -> $want", ({ v, want }) => {
    expect(heatColor(v)).toBe(want);
  });
  const text = [
    { v: 0.1, want: "#ffffff" },
    { v: 0.5, want: "#111827" },
    { v: 0.95, want: "#ffffff" },
    { v: null, want: "#111827" },
  ];
  it.each(text)("text on $v is $want", ({ v, want }) => {
    expect(heatTextColor(v)).toBe(want);
  });
});

describe("heatmap", () => {
  const cellOf = (svg: string, i: number, j: number) => {
    const g = new RegExp(`<g class="cell" data-row="${i}" data-col="${j}" data-value="([^"]*)">(.*?)</g>`).exec(svg);
    const rect = attrs(/<rect[^>]*>/.exec(g?.[2] ?? "")?.[0] ?? "");
    return { value: g?.[1], x: Number(rect.x), y: Number(rect.y), fill: rect.fill, text: />([^<]*)<\/text>/.exec(g?.[2] ?? "")?.[1] ?? "" };
  };
  // One-character labels: left = max(80, 7 + 16) = 80; top = 40 + round(7 x 0.72) + 8 = 53; cells 48 px.
  const svg = heatmap(
    [
      [null, 0.75, 0],
      [0.25, null, null],
      [1, null, null],
    ],
    ["a", "b", "c"],
    { counts: [[0, 8, 2], [8, 0, 0], [2, 0, 0]] },
  );
  const cases = [
    { i: 0, j: 1, want: { value: "0.7500", x: 128, y: 53, fill: "#8cafd2", text: "0.75" } },
    { i: 1, j: 0, want: { value: "0.2500", x: 80, y: 101, fill: "#d58891", text: "0.25" } },
    { i: 0, j: 2, want: { value: "0.0000", x: 176, y: 53, fill: "#b2182b", text: "0.00" } },
    { i: 2, j: 0, want: { value: "1.0000", x: 80, y: 149, fill: "#2166ac", text: "1.00" } },
    { i: 1, j: 2, want: { value: "", x: 176, y: 101, fill: HEAT_EMPTY, text: "" } },
    { i: 1, j: 1, want: { value: "", x: 128, y: 101, fill: "#f3f4f6", text: "" } },
  ];
  it.each(cases)("cell ($i, $j)", ({ i, j, want }) => {
    expect(cellOf(svg, i, j)).toEqual(want);
  });
  it("puts battle counts in the tooltip and parses as XML", () => {
    expect(svg).toContain("<title>a vs b: 0.750 (8 battles)</title>");
    expect(svg).toContain("<title>b vs c: no battles</title>");
    expect(xmlProblem(svg)).toBeNull();
  });
});

describe("escaping user-supplied names in SVG", () => {
  const evil = [
    { name: '<script>alert("x")</script>', escaped: "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" },
    { name: "a&b 'q'", escaped: "a&amp;b &#39;q&#39;" },
    { name: "</svg><img src=x onerror=alert(1)>", escaped: "&lt;/svg&gt;&lt;img src=x" },
  ];
  it.each(evil)("$name", ({ name, escaped }) => {
    const bars = errorBarChart([{ model: name, rating: 1000, ciLow: 990, ciHigh: 1010 }, { model: "ok", rating: 900, ciLow: 890, ciHigh: 910 }]);
    const heat = heatmap([[null, 0.5], [0.5, null]], [name, "ok"]);
    for (const svg of [bars, heat]) {
      expect(xmlProblem(svg)).toBeNull();
      expect(svg).not.toContain("<script");
      expect(svg).not.toContain("<img");
      expect(svg).toContain(escaped);
    }
  });
});
