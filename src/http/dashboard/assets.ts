/**
 * The dashboard's static files (index.html, app.js, app.css beside this module), read once at
 * start-up so a request never touches the disk. They load nothing from other hosts.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { REPORT_CSS } from "../../../reports/render/html-kit.js";

export interface DashboardAsset {
  body: string;
  contentType: string;
}

const read = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), "utf8");

/**
 * Content-Security-Policy for the page: own scripts and styles only, data calls to this origin.
 * Reports opened with a key are shown from blob: URLs, which inherit this policy, so the report's
 * one inline stylesheet is allowed by its hash (and nothing else inline is).
 */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; " +
  `style-src 'self' 'sha256-${createHash("sha256").update(REPORT_CSS).digest("base64")}'; ` +
  "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function loadDashboardAssets(): { page: DashboardAsset; files: Map<string, DashboardAsset> } {
  return {
    page: { body: read("index.html"), contentType: "text/html; charset=utf-8" },
    files: new Map([
      ["app.js", { body: read("app.js"), contentType: "text/javascript; charset=utf-8" }],
      ["markdown.js", { body: read("markdown.js"), contentType: "text/javascript; charset=utf-8" }],
      ["app.css", { body: read("app.css"), contentType: "text/css; charset=utf-8" }],
    ]),
  };
}
