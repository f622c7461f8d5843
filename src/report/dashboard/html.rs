//! Writes the dashboard as one HTML page: inline CSS, a small inline script (tree buttons,
//! table sorting, opening the rule a link points to), the inline SVG chart, and nothing
//! fetched from anywhere.
//!
//! The numbers the page shows are also in `data-*` attributes (`data-total-findings` on
//! `<main>`, `data-count` on each rule's row, `data-findings` on each folder...), so tools and
//! tests can read them without parsing the text.

use std::fmt::Write as _;

use super::data::{DataSection, MemcacheData, PickleData, Verdict, VerdictView};
use super::tree::{file_name, Folder};
use super::{rule_totals, Dashboard, FileRecord, FileState, RuleTotals, Totals};
use crate::fixers::registry;
use crate::report::rules::explain_text;

const STYLE: &str = include_str!("assets/dashboard.css");
const SCRIPT: &str = include_str!("assets/dashboard.js");

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `1234567` as `1,234,567`.
pub fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `part` of `whole` as a percentage with one decimal, rounded down so that only the whole
/// shows 100% (100.0 for an empty whole).
fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        (part as f64 * 1000.0 / whole as f64).floor() / 10.0
    }
}

/// `n` and the noun, plural unless `n` is 1: `1 finding`, `2 findings`.
fn count(n: usize, noun: &str) -> String {
    format!("{} {noun}{}", group(n), if n == 1 { "" } else { "s" })
}

/// `2026-12-05T19:11:11+00:00` as `2026-12-05 19:11`.
fn short_date(iso: &str) -> String {
    iso.chars()
        .take(16)
        .map(|c| if c == 'T' { ' ' } else { c })
        .collect()
}

/// The first `max` characters of `text`, with `…` when it is longer.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(max - 1).collect();
        short.push('…');
        short
    }
}

/// A progress bar `share` (0.0 to 1.0) full.
fn bar(share: f64, class: &str) -> String {
    format!(
        "<span class=\"bar {class}\"><span class=\"fill\" style=\"width:{:.1}%\"></span></span>",
        (share * 100.0).clamp(0.0, 100.0)
    )
}

/// The whole page.
pub fn render(dashboard: &Dashboard) -> String {
    let totals = Totals::of(&dashboard.files);
    let rules = rule_totals(&dashboard.files);
    let mut page = String::with_capacity(64 * 1024 + dashboard.files.len() * 400);
    let title = if dashboard.title.is_empty() {
        "py2to3 migration report".to_string()
    } else {
        format!("py2to3 migration report: {}", dashboard.title)
    };
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    let _ = writeln!(
        page,
        "<main id=\"dashboard\" data-total-files=\"{}\" data-total-lines=\"{}\" \
         data-python3-files=\"{}\" data-migrated-files=\"{}\" data-files-with-findings=\"{}\" \
         data-failed-files=\"{}\" data-total-findings=\"{}\" data-fixable-findings=\"{}\" \
         data-manual-findings=\"{}\" data-rules=\"{}\">",
        totals.files,
        totals.lines,
        totals.python3_files,
        totals.migrated_files,
        totals.files_with_findings,
        totals.failed_files,
        totals.findings,
        totals.fixable,
        totals.manual,
        rules.len()
    );
    header(&mut page, dashboard, &totals);
    totals_section(&mut page, &totals);
    if !dashboard.history.is_empty() || !dashboard.history_notes.is_empty() {
        history_section(&mut page, dashboard);
    }
    tree_section(&mut page, &dashboard.files);
    rules_section(&mut page, &rules);
    failed_section(&mut page, &dashboard.files);
    for (i, data) in dashboard.data.iter().enumerate() {
        match data {
            DataSection::Pickle(p) => pickle_section(&mut page, i, p),
            DataSection::Memcache(m) => memcache_section(&mut page, i, m),
        }
    }
    if !dashboard.skipped.is_empty() {
        let _ = write!(
            page,
            "<section id=\"skipped\"><h2>Skipped</h2><table><thead><tr><th>Path</th>\
             <th>Why</th></tr></thead><tbody>"
        );
        for (path, why) in &dashboard.skipped {
            let _ = write!(
                page,
                "<tr><td class=\"path\">{}</td><td>{}</td></tr>",
                escape(path),
                escape(why)
            );
        }
        page.push_str("</tbody></table></section>\n");
    }
    let _ = write!(
        page,
        "<footer>Made by <code>py2to3 report</code> {}. \"Migrated\" means CPython 3 compiles \
         the file as it is and <code>py2to3 check</code> finds nothing in it; automatic findings \
         are the ones <code>py2to3 fix</code> rewrites.</footer>\n</main>\n<script>\n{SCRIPT}</script>\n\
         </body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    page
}

fn header(page: &mut String, dashboard: &Dashboard, totals: &Totals) {
    let _ = writeln!(
        page,
        "<header><h1>Python 3 migration{}</h1><p class=\"meta\">{}</p>\
         <div class=\"overall\">{}<span class=\"overall-text\"><strong>{:.1}%</strong> of files \
         migrated ({} of {})</span></div></header>",
        if dashboard.title.is_empty() {
            String::new()
        } else {
            format!(": <code>{}</code>", escape(&dashboard.title))
        },
        if dashboard.generated.is_empty() {
            String::new()
        } else {
            format!("Generated {}", escape(&dashboard.generated))
        },
        bar(totals.progress(), "big"),
        percent(totals.migrated_files, totals.files),
        group(totals.migrated_files),
        group(totals.files)
    );
}

fn card(page: &mut String, key: &str, value: usize, label: &str, detail: &str) {
    let _ = write!(
        page,
        "<div class=\"card\" data-key=\"{key}\"><div class=\"value\">{}</div>\
         <div class=\"label\">{label}</div><div class=\"detail\">{detail}</div></div>",
        group(value)
    );
}

fn totals_section(page: &mut String, t: &Totals) {
    page.push_str("<section id=\"totals\"><h2>Totals</h2><div class=\"cards\">");
    card(
        page,
        "files",
        t.files,
        "Python files",
        &format!("{} lines", group(t.lines)),
    );
    card(
        page,
        "python3",
        t.python3_files,
        "compile as Python 3 already",
        &format!("{:.1}% of files", percent(t.python3_files, t.files)),
    );
    card(
        page,
        "migrated",
        t.migrated_files,
        "migrated",
        "compile as Python 3, no finding left",
    );
    card(
        page,
        "findings",
        t.findings,
        "findings left",
        &format!("in {}", count(t.files_with_findings, "file")),
    );
    card(
        page,
        "fixable",
        t.fixable,
        "automatic",
        &format!(
            "{:.1}% — <code>py2to3 fix</code> rewrites them",
            percent(t.fixable, t.findings)
        ),
    );
    card(
        page,
        "manual",
        t.manual,
        "manual",
        &format!("{:.1}% — need a person", percent(t.manual, t.findings)),
    );
    card(
        page,
        "failed",
        t.failed_files,
        "files that do not parse",
        "<a href=\"#failed\">see below</a>",
    );
    page.push_str("</div></section>\n");
}

fn history_section(page: &mut String, dashboard: &Dashboard) {
    let _ = write!(
        page,
        "<section id=\"history\" data-points=\"{}\"><h2>Progress over time</h2>",
        dashboard.history.len()
    );
    let svg = super::chart::progress_svg(&dashboard.history);
    if !svg.is_empty() {
        let _ = write!(
            page,
            "<div class=\"legend\"><span class=\"key findings\"></span> findings left \
             (left axis) <span class=\"key share\"></span> files migrated (right axis)</div>{svg}"
        );
    }
    for note in &dashboard.history_notes {
        let _ = write!(page, "<p class=\"note\">{}</p>", escape(note));
    }
    page.push_str(
        "<table class=\"history sortable\"><thead><tr><th>Commit</th><th>Date</th>\
         <th>Subject</th><th class=\"num\">Files</th><th class=\"num\">Migrated</th>\
         <th class=\"num\">Findings</th><th class=\"num\">Automatic</th></tr></thead><tbody>",
    );
    for point in &dashboard.history {
        match &point.totals {
            Ok(t) => {
                let _ = write!(
                    page,
                    "<tr class=\"point\" data-commit=\"{}\" data-findings=\"{}\" \
                     data-migrated=\"{}\" data-files=\"{}\"><td><code>{}</code></td><td>{}</td>\
                     <td title=\"{}\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                     <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    escape(&point.label),
                    t.findings,
                    t.migrated_files,
                    t.files,
                    escape(&point.label),
                    escape(&short_date(&point.date)),
                    escape(&point.subject),
                    escape(&shorten(&point.subject, 90)),
                    group(t.files),
                    group(t.migrated_files),
                    group(t.findings),
                    group(t.fixable)
                );
            }
            Err(why) => {
                let _ = write!(
                    page,
                    "<tr class=\"point missing\" data-commit=\"{}\"><td><code>{}</code></td>\
                     <td>{}</td><td>{}</td><td colspan=\"4\">not checked: {}</td></tr>",
                    escape(&point.label),
                    escape(&point.label),
                    escape(&short_date(&point.date)),
                    escape(&shorten(&point.subject, 90)),
                    escape(why)
                );
            }
        }
    }
    page.push_str("</tbody></table></section>\n");
}

fn tree_section(page: &mut String, files: &[FileRecord]) {
    page.push_str(
        "<section id=\"tree\"><h2>Folders</h2><p class=\"hint\">Worst first: lowest share of \
         migrated files, then most findings. <button type=\"button\" data-toggle-tree=\"open\">\
         Open all</button> <button type=\"button\" data-toggle-tree=\"close\">Close all</button>\
         </p>",
    );
    if files.is_empty() {
        page.push_str("<p>No Python files.</p>");
    } else {
        let root = Folder::build(files);
        folder(page, &root, files, true);
    }
    page.push_str("</section>\n");
}

fn folder(page: &mut String, node: &Folder, files: &[FileRecord], open: bool) {
    let t = &node.totals;
    let name = if node.name.is_empty() {
        "(all paths)".to_string()
    } else {
        format!("{}/", node.name)
    };
    let _ = write!(
        page,
        "<details class=\"folder\" data-path=\"{}\" data-files=\"{}\" data-lines=\"{}\" \
         data-migrated=\"{}\" data-findings=\"{}\" data-fixable=\"{}\"{}><summary>\
         <span class=\"name\">{}</span>{}<span class=\"pct\">{:.0}%</span>\
         <span class=\"counts\">{}/{} files migrated · {} ({} automatic)</span></summary>\
         <div class=\"children\">",
        escape(&node.path),
        t.files,
        t.lines,
        t.migrated_files,
        t.findings,
        t.fixable,
        if open { " open" } else { "" },
        escape(&name),
        bar(t.progress(), ""),
        percent(t.migrated_files, t.files).floor(),
        group(t.migrated_files),
        group(t.files),
        count(t.findings, "finding"),
        group(t.fixable)
    );
    for child in &node.folders {
        folder(page, child, files, false);
    }
    if !node.files.is_empty() {
        page.push_str(
            "<table class=\"files\"><thead><tr><th>File</th><th class=\"num\">Lines</th>\
             <th class=\"num\">Findings</th><th class=\"num\">Automatic</th><th>Rules</th>\
             <th>State</th></tr></thead><tbody>",
        );
        for &i in &node.files {
            file_row(page, &files[i]);
        }
        page.push_str("</tbody></table>");
    }
    page.push_str("</div></details>");
}

fn file_row(page: &mut String, file: &FileRecord) {
    let findings = file.findings();
    let fixable = findings.iter().filter(|f| f.fixable).count();
    let mut codes: Vec<(&str, usize)> = Vec::new();
    for f in findings {
        match codes.iter_mut().find(|(c, _)| *c == f.code) {
            Some((_, n)) => *n += 1,
            None => codes.push((&f.code, 1)),
        }
    }
    codes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let codes: Vec<String> = codes
        .iter()
        .map(|(c, n)| format!("<a href=\"#doc-{c}\">{c}</a>&#215;{n}", c = escape(c)))
        .collect();
    let (state, class) = match &file.state {
        FileState::Failed(_) => ("does not parse", "bad"),
        FileState::Checked { .. } if file.migrated() => ("migrated", "ok"),
        FileState::Checked { python3: true, .. } => ("compiles as Python 3", "warn"),
        FileState::Checked { .. } => ("Python 2", "todo"),
    };
    let _ = write!(
        page,
        "<tr class=\"file\" data-path=\"{}\" data-findings=\"{}\"><td class=\"path\">{}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
         <td class=\"codes\">{}</td><td><span class=\"state {class}\">{state}</span></td></tr>",
        escape(&file.path),
        findings.len(),
        escape(&file_name(&file.path)),
        group(file.lines),
        group(findings.len()),
        group(fixable),
        codes.join(" ")
    );
}

fn rules_section(page: &mut String, rules: &[RuleTotals]) {
    page.push_str("<section id=\"rules\"><h2>Rules</h2>");
    if rules.is_empty() {
        page.push_str("<p>No findings left.</p></section>\n");
        return;
    }
    page.push_str(
        "<table class=\"rules sortable\"><thead><tr><th>Code</th><th>Rule</th>\
         <th class=\"num\">Findings</th><th class=\"num\">Automatic</th>\
         <th class=\"num\">Manual</th><th class=\"num\">Files</th><th>Share of the most frequent</th></tr></thead><tbody>",
    );
    let most = rules.first().map_or(1, |r| r.count);
    for r in rules {
        let summary = registry::find(&r.code).map_or("", |spec| spec.summary);
        let _ = write!(
            page,
            "<tr class=\"rule\" data-code=\"{code}\" data-count=\"{}\" data-fixable=\"{}\" \
             data-files=\"{}\"><td><a href=\"#doc-{code}\">{code}</a></td><td>{}\
             <div class=\"summary\">{}</div></td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td>{}</td></tr>",
            r.count,
            r.fixable,
            r.files,
            escape(&r.name),
            escape(summary),
            group(r.count),
            group(r.fixable),
            group(r.count - r.fixable),
            group(r.files),
            bar(r.count as f64 / most.max(1) as f64, "share"),
            code = escape(&r.code)
        );
    }
    page.push_str("</tbody></table><h3>Rule documentation</h3><div class=\"docs\">");
    for r in rules {
        let Some(spec) = registry::find(&r.code) else {
            continue;
        };
        let _ = write!(
            page,
            "<details class=\"rule-doc\" id=\"doc-{}\"><summary><code>{}</code> {} — {}\
             </summary><pre>{}</pre></details>",
            escape(&r.code),
            escape(&r.code),
            escape(spec.name),
            escape(spec.summary),
            escape(&explain_text(spec, true))
        );
    }
    page.push_str("</div></section>\n");
}

fn failed_section(page: &mut String, files: &[FileRecord]) {
    page.push_str("<section id=\"failed\"><h2>Files that do not parse</h2>");
    let failed: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|f| match &f.state {
            FileState::Failed(why) => Some((f.path.as_str(), why.as_str())),
            FileState::Checked { .. } => None,
        })
        .collect();
    if failed.is_empty() {
        page.push_str("<p>None: <code>py2to3</code> reads every file.</p></section>\n");
        return;
    }
    page.push_str(
        "<p class=\"hint\">Neither Python 2 nor Python 3 grammar: <code>check</code> and \
         <code>fix</code> leave them alone until they parse.</p><table class=\"failed\">\
         <thead><tr><th>File</th><th>Why</th></tr></thead><tbody>",
    );
    for (path, why) in failed {
        let _ = write!(
            page,
            "<tr class=\"failed-file\" data-path=\"{}\"><td class=\"path\">{}</td><td>{}</td></tr>",
            escape(path),
            escape(path),
            escape(why.trim())
        );
    }
    page.push_str("</tbody></table></section>\n");
}

/// A row of verdict counts as a stacked bar and a table.
fn verdict_table(page: &mut String, counts: &[(Verdict, u64)]) {
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    page.push_str("<div class=\"stack\">");
    for &(verdict, n) in counts {
        if n > 0 {
            let _ = write!(
                page,
                "<span class=\"{}\" style=\"width:{:.2}%\" title=\"{}: {}\"></span>",
                verdict.severity(),
                n as f64 * 100.0 / total.max(1) as f64,
                verdict.label(),
                n
            );
        }
    }
    page.push_str(
        "</div><table class=\"verdicts\"><thead><tr><th>Verdict</th><th class=\"num\">Count\
         </th></tr></thead><tbody>",
    );
    for &(verdict, n) in counts {
        let _ = write!(
            page,
            "<tr data-verdict=\"{}\" data-count=\"{n}\"><td><span class=\"state {}\">{}</span>\
             </td><td class=\"num\">{}</td></tr>",
            verdict.key(),
            verdict.severity(),
            verdict.label(),
            group(n as usize)
        );
    }
    page.push_str("</tbody></table>");
}

fn pickle_section(page: &mut String, index: usize, data: &PickleData) {
    let dangerous = data.blobs.iter().filter(|b| b.dangerous).count();
    let _ = write!(
        page,
        "<section id=\"data-{index}\" class=\"data pickle\" data-blobs=\"{}\" \
         data-dangerous=\"{dangerous}\"><h2>Pickle audit <small>{}</small></h2>\
         <p>{} blobs, {} would run code or import unusual modules when loaded.</p>",
        data.blobs.len(),
        escape(&data.source),
        group(data.blobs.len()),
        group(dangerous)
    );
    let counts: Vec<(Verdict, u64)> = Verdict::ALL[..6]
        .iter()
        .map(|&v| {
            (
                v,
                data.blobs.iter().filter(|b| b.verdict == v).count() as u64,
            )
        })
        .collect();
    verdict_table(page, &counts);
    let mut codes: Vec<(&str, usize)> = Vec::new();
    for (code, _) in data.blobs.iter().flat_map(|b| &b.findings) {
        match codes.iter_mut().find(|(c, _)| c == code) {
            Some((_, n)) => *n += 1,
            None => codes.push((code, 1)),
        }
    }
    codes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    if !codes.is_empty() {
        page.push_str(
            "<h3>Findings</h3><table class=\"sortable\"><thead><tr><th>Code</th>\
             <th class=\"num\">Findings</th></tr></thead><tbody>",
        );
        for (code, n) in codes {
            let _ = write!(
                page,
                "<tr><td><code>{}</code></td><td class=\"num\">{}</td></tr>",
                escape(code),
                group(n)
            );
        }
        page.push_str("</tbody></table>");
    }
    let mut worst: Vec<&super::data::PickleBlob> = data
        .blobs
        .iter()
        .filter(|b| b.verdict.severity() != "ok" || b.dangerous)
        .collect();
    worst.sort_by_key(|b| (b.verdict.severity() != "bad", !b.dangerous, b.path.clone()));
    if !worst.is_empty() {
        let _ = write!(
            page,
            "<details class=\"blobs\"><summary>{} blobs to look at</summary><table>\
             <thead><tr><th>Blob</th><th>Protocol</th><th>Verdict</th><th>Findings</th></tr>\
             </thead><tbody>",
            group(worst.len())
        );
        for b in worst.iter().take(500) {
            let findings: Vec<String> = b
                .findings
                .iter()
                .map(|(c, m)| format!("<code>{}</code> {}", escape(c), escape(m)))
                .chain(b.error.iter().map(|e| escape(e)))
                .collect();
            let _ = write!(
                page,
                "<tr><td class=\"path\">{}</td><td>{}</td><td><span class=\"state {}\">{}{}</span>\
                 </td><td>{}</td></tr>",
                escape(&b.path),
                b.protocol.map_or("-".to_string(), |p| p.to_string()),
                b.verdict.severity(),
                b.verdict.label(),
                if b.dangerous { ", dangerous" } else { "" },
                findings.join("<br>")
            );
        }
        page.push_str("</tbody></table></details>");
    }
    page.push_str("</section>\n");
}

fn memcache_section(page: &mut String, index: usize, data: &MemcacheData) {
    let _ = write!(
        page,
        "<section id=\"data-{index}\" class=\"data memcache\" data-items=\"{}\" \
         data-pickled=\"{}\" data-dangerous=\"{}\"><h2>Memcache audit <small>{}</small></h2>\
         <p>{} items scanned{}, {} pickled, {} dangerous. Client: {}.</p>",
        data.items_scanned,
        data.pickled,
        data.dangerous,
        escape(&data.source),
        group(data.items_scanned as usize),
        if data.partial { " (partial scan)" } else { "" },
        group(data.pickled as usize),
        group(data.dangerous as usize),
        escape(&data.client)
    );
    let counts: Vec<(Verdict, u64)> = data.verdicts.iter().map(|(&v, &n)| (v, n)).collect();
    verdict_table(page, &counts);
    let breakdown =
        |page: &mut String,
         title: &str,
         rows: &[(String, u64, std::collections::BTreeMap<Verdict, u64>)]| {
            if rows.is_empty() {
                return;
            }
            let _ = write!(
                page,
                "<h3>{title}</h3><table class=\"sortable\"><thead><tr><th>{}</th>\
             <th class=\"num\">Items</th>",
                if title == "Servers" {
                    "Server"
                } else {
                    "Prefix"
                }
            );
            for v in Verdict::ALL {
                let _ = write!(page, "<th class=\"num\">{}</th>", v.label());
            }
            page.push_str("</tr></thead><tbody>");
            for (name, items, verdicts) in rows {
                let _ = write!(
                    page,
                    "<tr><td class=\"path\">{}</td><td class=\"num\">{}</td>",
                    escape(name),
                    group(*items as usize)
                );
                for v in Verdict::ALL {
                    let _ = write!(
                        page,
                        "<td class=\"num\">{}</td>",
                        group(verdicts.get(&v).copied().unwrap_or(0) as usize)
                    );
                }
                page.push_str("</tr>");
            }
            page.push_str("</tbody></table>");
        };
    breakdown(page, "Servers", &data.servers);
    breakdown(page, "Key prefixes", &data.prefixes);
    if !data.samples.is_empty() {
        page.push_str("<h3>Sample keys</h3><ul class=\"samples\">");
        for (problem, keys) in &data.samples {
            let keys: Vec<String> = keys
                .iter()
                .map(|k| format!("<code>{}</code>", escape(k)))
                .collect();
            let _ = write!(page, "<li>{}: {}</li>", escape(problem), keys.join(" "));
        }
        page.push_str("</ul>");
    }
    if !data.problem_items.is_empty() {
        let _ = write!(
            page,
            "<details class=\"items\"><summary>{} items to look at</summary><table><thead><tr>\
             <th>Server</th><th>Key</th><th>Verdict</th></tr></thead><tbody>",
            group(data.problem_items.len())
        );
        for (server, key, verdict) in data.problem_items.iter().take(500) {
            let _ = write!(
                page,
                "<tr><td>{}</td><td class=\"path\">{}</td><td><span class=\"state {}\">{}</span>\
                 </td></tr>",
                escape(server),
                escape(key),
                verdict.severity(),
                verdict.label()
            );
        }
        page.push_str("</tbody></table></details>");
    }
    for note in &data.notes {
        let _ = write!(page, "<p class=\"note\">{}</p>", escape(note));
    }
    page.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::super::tests::checked;
    use super::*;

    fn dashboard() -> Dashboard {
        Dashboard {
            title: "pkg".into(),
            files: vec![
                checked("pkg/a.py", 3, &[("PY001", true), ("PY001", true)], false),
                checked("pkg/sub/b.py", 4, &[("PY814", false)], true),
                checked("pkg/sub/c.py", 2, &[], true),
                FileRecord {
                    path: "pkg/<bad>.py".into(),
                    lines: 1,
                    state: FileState::Failed("1:5: does not parse".into()),
                },
            ],
            ..Dashboard::default()
        }
    }

    #[test]
    fn totals_rules_and_folders_in_data_attributes() {
        let page = render(&dashboard());
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(page.ends_with("</html>\n"));
        assert!(page.contains(
            "<main id=\"dashboard\" data-total-files=\"4\" data-total-lines=\"10\" \
             data-python3-files=\"2\" data-migrated-files=\"1\" data-files-with-findings=\"2\" \
             data-failed-files=\"1\" data-total-findings=\"3\" data-fixable-findings=\"2\" \
             data-manual-findings=\"1\" data-rules=\"2\">"
        ));
        assert!(page.contains(
            "<tr class=\"rule\" data-code=\"PY001\" data-count=\"2\" data-fixable=\"2\" \
             data-files=\"1\">"
        ));
        assert!(page.contains(
            "<tr class=\"rule\" data-code=\"PY814\" data-count=\"1\" data-fixable=\"0\" \
             data-files=\"1\">"
        ));
        // The registry's documentation of each rule found, linked from its row.
        assert!(page.contains("<a href=\"#doc-PY001\">PY001</a>"));
        assert!(page.contains("<details class=\"rule-doc\" id=\"doc-PY001\">"));
        assert!(page.contains(
            "<details class=\"folder\" data-path=\"pkg\" data-files=\"4\" data-lines=\"10\" \
             data-migrated=\"1\" data-findings=\"3\" data-fixable=\"2\" open>"
        ));
        assert!(page.contains(
            "<details class=\"folder\" data-path=\"pkg/sub\" data-files=\"2\" data-lines=\"6\" \
             data-migrated=\"1\" data-findings=\"1\" data-fixable=\"0\">"
        ));
        // Escaped, in the list of files that do not parse.
        assert!(page.contains(
            "<tr class=\"failed-file\" data-path=\"pkg/&lt;bad&gt;.py\"><td class=\"path\">\
             pkg/&lt;bad&gt;.py</td><td>1:5: does not parse</td></tr>"
        ));
        // Nothing to fetch.
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(!page.contains("<link") && !page.contains(" src="));
        // No history section without --history.
        assert!(!page.contains("id=\"history\""));
    }

    #[test]
    fn numbers_and_text_helpers() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1234567), "1,234,567");
        assert_eq!(percent(590, 908), 64.9);
        assert_eq!(percent(0, 0), 100.0);
        assert_eq!(count(1, "file"), "1 file");
        assert_eq!(count(1200, "file"), "1,200 files");
        assert_eq!(short_date("2026-12-05T19:11:11+00:00"), "2026-12-05 19:11");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abcd", 4), "abcd");
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }
}
