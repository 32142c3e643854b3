// Runs axe-core (the accessibility checker from npm) on an HTML file in headless Chromium,
// through playwright-core, and prints what it found as one JSON line:
//   node scripts/axe-check.js REPORT.html
// Needs NODE_PATH to hold axe-core and playwright-core (scripts/toolchains.sh ensure_axe)
// and WAYMARK_CHROMIUM. The report forbids scripts (its Content Security Policy); the
// checker is added with the policy bypassed, as a browser extension would be. Exits 1 when
// a violation is serious or critical, 2 when the check could not run.
const path = require("path");
const { chromium } = require("playwright-core");

(async () => {
  const file = path.resolve(process.argv[2]);
  const browser = await chromium.launch({
    executablePath: process.env.WAYMARK_CHROMIUM || "/usr/bin/chromium",
    chromiumSandbox: false,
    args: [
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto("file://" + file);
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const results = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, { resultTypes: ["violations", "passes"] })
    );
    const violations = results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      first: v.nodes[0] ? v.nodes[0].target.join(" ") : "",
    }));
    console.log(JSON.stringify({ passes: results.passes.length, violations }));
    const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    process.exitCode = blocking.length > 0 ? 1 : 0;
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error("axe-check: " + String(e));
  process.exitCode = 2;
});
