/**
 * The dashboard's static files (index.html, app.js, app.css beside this module), read once at
 * start-up so a request never touches the disk. They load nothing from other hosts.
 */
import { readFileSync } from "node:fs";

export interface DashboardAsset {
  body: string;
  contentType: string;
}

const read = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), "utf8");

/** Content-Security-Policy for the page: own scripts and styles only, data calls to this origin. */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function loadDashboardAssets(): { page: DashboardAsset; files: Map<string, DashboardAsset> } {
  return {
    page: { body: read("index.html"), contentType: "text/html; charset=utf-8" },
    files: new Map([
      ["app.js", { body: read("app.js"), contentType: "text/javascript; charset=utf-8" }],
      ["app.css", { body: read("app.css"), contentType: "text/css; charset=utf-8" }],
    ]),
  };
}
