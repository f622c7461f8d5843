// Opens a py2to3 dashboard page from disk in Debian's chromium (headless, through
// playwright-core), and checks it against the numbers `py2to3 check --output-format json`
// gave on the same tree. Run by tests/dashboard.rs:
//
//   node tests/browser/dashboard.mjs PAGE EXPECTED_JSON SCREENSHOT
//
// EXPECTED_JSON: {"total_findings", "fixable_findings", "files_with_findings",
// "rules": {CODE: count}, "folders": {PATH: findings}, "open_folder": PATH}.
// Prints one JSON line with what it compared; exits 1 with the differences otherwise.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [page_path, expected_path, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error("usage: node dashboard.mjs PAGE EXPECTED_JSON SCREENSHOT");
  process.exit(2);
}
const expected = JSON.parse(readFileSync(expected_path, "utf8"));
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const problems = [];
const compared = {};

// JSON with object keys sorted, so that key order does not count.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function same(what, got, want) {
  compared[what] = got;
  if (canonical(got) !== canonical(want)) {
    problems.push(`${what}: page says ${JSON.stringify(got)}, check says ${JSON.stringify(want)}`);
  }
}

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  const errors = [];
  const requests = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
  page.on("request", (req) => requests.push(req.url()));
  const url = pathToFileURL(page_path).href;
  await page.goto(url, { waitUntil: "load" });

  // Totals on <main>.
  const main = page.locator("main#dashboard");
  const attr = async (name) => Number(await main.getAttribute(name));
  same("total_findings", await attr("data-total-findings"), expected.total_findings);
  same("fixable_findings", await attr("data-fixable-findings"), expected.fixable_findings);
  same("manual_findings", await attr("data-manual-findings"),
    expected.total_findings - expected.fixable_findings);
  same("files_with_findings", await attr("data-files-with-findings"), expected.files_with_findings);
  // The visible card says the same as the attribute.
  const card = (await page.locator('.card[data-key="findings"] .value').innerText()).replace(/,/g, "");
  same("findings_card", Number(card), expected.total_findings);

  // The rules table.
  const rules = await page.$$eval("tr.rule", (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.code, Number(r.dataset.count)])));
  same("rules", rules, expected.rules);

  // The folders' counts.
  const folders = await page.$$eval("details.folder", (nodes) =>
    Object.fromEntries(nodes.map((d) => [d.dataset.path, Number(d.dataset.findings)])));
  const wanted = {};
  for (const path of Object.keys(expected.folders)) wanted[path] = folders[path];
  same("folders", wanted, expected.folders);

  // Worst first: the root's sub-folders by share of migrated files, ascending.
  const shares = await page.$$eval("#tree > details.folder > .children > details.folder", (nodes) =>
    nodes.map((d) => Number(d.dataset.migrated) / Math.max(1, Number(d.dataset.files))));
  const sorted = [...shares].sort((a, b) => a - b);
  same("worst_first", JSON.stringify(shares) === JSON.stringify(sorted), true);

  // Open a closed folder: its children show.
  const folder = page.locator(`details.folder[data-path="${expected.open_folder}"]`);
  const child = folder.locator(":scope > .children > *").first();
  same("child_hidden_before_click", await child.isVisible(), false);
  await folder.locator(":scope > summary").click();
  same("folder_open_after_click", await folder.evaluate((d) => d.open), true);
  same("child_visible_after_click", await child.isVisible(), true);
  compared.open_folder_children = await folder.locator(":scope > .children > details.folder, :scope > .children tr.file").count();

  // A rule link opens its documentation.
  const first_rule = Object.keys(expected.rules).sort((a, b) => expected.rules[b] - expected.rules[a] || (a < b ? -1 : 1))[0];
  if (first_rule) {
    await page.locator(`tr.rule[data-code="${first_rule}"] a`).click();
    same("rule_doc_open", await page.locator(`#doc-${first_rule}`).evaluate((d) => d.open), true);
  }

  // Self-contained: nothing but the page itself was requested.
  same("requests", requests.filter((u) => u !== url), []);
  same("console_errors", errors, []);

  await page.locator(`tr.rule`).first().scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshot, fullPage: false });
} finally {
  await browser.close();
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(JSON.stringify(compared));
