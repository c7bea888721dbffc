// Lighthouse (pinned in package-lock.json), mobile preset, on each URL given
// on the command line, in one Chromium: Debian's, from $CHROME_PATH (nothing
// here downloads a browser). Only the two categories the book is held to,
// performance and accessibility (with --performance-only, performance
// alone), one run per page.
//
// Prints one JSON object per page, one per line:
//   {url, performance, accessibility, fcp_ms, lcp_ms, tbt_ms, cls, si_ms, bytes,
//    failed: {audit id: title and the first elements it failed on} for the
//      accessibility audits that failed,
//    heavy: [[url, bytes], ...] the largest transfers}
// (accessibility null and failed empty with --performance-only).
// Used by tests/test_lighthouse.py; by hand:
//   CHROME_PATH=/usr/bin/chromium node tests/lighthouse_pages.mjs http://127.0.0.1:8000/book/preface.html
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const performanceOnly = process.argv.includes("--performance-only");
const urls = process.argv.slice(2).filter((arg) => arg !== "--performance-only");
if (urls.length === 0 || !process.env.CHROME_PATH) {
  console.error(
    "usage: CHROME_PATH=/usr/bin/chromium node lighthouse_pages.mjs [--performance-only] URL...",
  );
  process.exit(2);
}
const categories = performanceOnly ? ["performance"] : ["performance", "accessibility"];

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  for (const url of urls) {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: categories,
      // What the thresholds do not read and costs time: screenshots, and
      // the back/forward-cache audit, which loads the page a second time.
      disableFullPageScreenshot: true,
      skipAudits: ["screenshot-thumbnails", "final-screenshot", "bf-cache", "valid-source-maps"],
    });
    const lhr = result.lhr;
    const audits = lhr.audits;
    const failed = {};
    for (const ref of performanceOnly ? [] : lhr.categories.accessibility.auditRefs) {
      const audit = audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        // the title, then the first three elements it failed on
        const nodes = ((audit.details || {}).items || [])
          .slice(0, 3)
          .map((item) => (item.node || {}).selector)
          .filter(Boolean);
        failed[ref.id] = nodes.length ? `${audit.title} On: ${nodes.join("; ")}` : audit.title;
      }
    }
    const items = (audits["total-byte-weight"].details || {}).items || [];
    const score = (name) =>
      !lhr.categories[name] || lhr.categories[name].score === null
        ? null
        : Math.round(lhr.categories[name].score * 100);
    console.log(
      JSON.stringify({
        url,
        performance: score("performance"),
        accessibility: score("accessibility"),
        fcp_ms: audits["first-contentful-paint"].numericValue,
        lcp_ms: audits["largest-contentful-paint"].numericValue,
        tbt_ms: audits["total-blocking-time"].numericValue,
        cls: audits["cumulative-layout-shift"].numericValue,
        si_ms: audits["speed-index"].numericValue,
        bytes: audits["total-byte-weight"].numericValue,
        failed,
        heavy: items.slice(0, 6).map((item) => [item.url, item.totalBytes]),
        runtime_error: lhr.runtimeError ? lhr.runtimeError.message : null,
      }),
    );
  }
} finally {
  await chrome.kill();
}
