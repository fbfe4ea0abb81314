/**
 * The dashboard at GET / and its two assets under /dashboard/. Outside /v1 on purpose: loading the
 * page needs no key; the page's data calls go to /v1 with the key the user enters.
 */
import type { Deps } from "../../deps.js";
import { DASHBOARD_CSP, loadDashboardAssets } from "../dashboard/assets.js";
import { newRouter } from "../openapi.js";

export function dashboardRoutes(_deps: Deps) {
  const r = newRouter();
  const { page, files } = loadDashboardAssets();
  const headers = (contentType: string) => ({
    "content-type": contentType,
    "content-security-policy": DASHBOARD_CSP,
    "x-content-type-options": "nosniff",
    // The assets change with the server version only; a short cache keeps upgrades visible.
    "cache-control": "no-cache",
  });
  r.get("/", (c) => c.body(page.body, 200, headers(page.contentType)));
  r.get("/dashboard/:file", (c) => {
    const asset = files.get(c.req.param("file"));
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, headers(asset.contentType));
  });
  return r;
}
