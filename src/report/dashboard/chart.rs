//! The progress chart: an inline SVG with the findings left (left axis) and the share of
//! migrated files (right axis) at each point of the history.

use std::fmt::Write as _;

use super::history::HistoryPoint;
use super::html::escape;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 48.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;

/// The SVG of `points` (oldest first); points whose check failed are left out of the lines.
/// Empty when no point has counts.
pub fn progress_svg(points: &[HistoryPoint]) -> String {
    let counted: Vec<(usize, &HistoryPoint, &super::Totals)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.totals.as_ref().ok().map(|t| (i, p, t)))
        .collect();
    if counted.is_empty() {
        return String::new();
    }
    let max_findings = counted
        .iter()
        .map(|(_, _, t)| t.findings)
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| {
        if points.len() <= 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (points.len() - 1) as f64
        }
    };
    let y_findings = |n: usize| TOP + plot_h * (1.0 - n as f64 / max_findings as f64);
    let y_share = |share: f64| TOP + plot_h * (1.0 - share);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" data-points=\"{}\">\
         <title>Findings left and migrated files over the last {} commits</title>",
        points.len(),
        points.len()
    );
    // Frame, grid lines and axis labels.
    for step in 0..=4 {
        let fraction = f64::from(step) / 4.0;
        let y = TOP + plot_h * (1.0 - fraction);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"axis findings\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <text class=\"axis share\" x=\"{:.1}\" y=\"{:.1}\">{}%</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            (max_findings as f64 * fraction).round(),
            WIDTH - RIGHT + 6.0,
            y + 4.0,
            step * 25
        );
    }
    for (i, point) in points.iter().enumerate() {
        let show_label = points.len() <= 12
            || i == 0
            || i + 1 == points.len()
            || i % (points.len() / 6).max(1) == 0;
        if show_label {
            let _ = write!(
                svg,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x(i),
                HEIGHT - BOTTOM + 16.0,
                escape(&point.label)
            );
        }
    }
    let findings_line: Vec<String> = counted
        .iter()
        .map(|&(i, _, t)| format!("{:.1},{:.1}", x(i), y_findings(t.findings)))
        .collect();
    let share_line: Vec<String> = counted
        .iter()
        .map(|&(i, _, t)| format!("{:.1},{:.1}", x(i), y_share(t.progress())))
        .collect();
    let _ = write!(
        svg,
        "<polyline class=\"line findings\" points=\"{}\"/>\
         <polyline class=\"line share\" points=\"{}\"/>",
        findings_line.join(" "),
        share_line.join(" ")
    );
    for &(i, point, t) in &counted {
        let _ = write!(
            svg,
            "<circle class=\"dot findings\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\">\
             <title>{}: {} findings left</title></circle>\
             <circle class=\"dot share\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\">\
             <title>{}: {} of {} files migrated</title></circle>",
            x(i),
            y_findings(t.findings),
            escape(&point.label),
            t.findings,
            x(i),
            y_share(t.progress()),
            escape(&point.label),
            t.migrated_files,
            t.files
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::super::Totals;
    use super::*;

    fn point(label: &str, findings: usize, migrated: usize) -> HistoryPoint {
        HistoryPoint {
            label: label.into(),
            date: String::new(),
            subject: String::new(),
            totals: Ok(Totals {
                files: 4,
                migrated_files: migrated,
                findings,
                ..Totals::default()
            }),
        }
    }

    #[test]
    fn two_lines_through_the_counted_points() {
        let mut broken = point("bad", 0, 0);
        broken.totals = Err("no such path".into());
        let svg = progress_svg(&[point("a1", 10, 0), broken, point("c3", 5, 4)]);
        assert!(svg.starts_with("<svg "));
        assert!(svg.ends_with("</svg>"));
        // x runs from 56 to 672; findings 10 -> top (16), 5 -> middle; 0% bottom (184), 100% top.
        assert!(svg.contains("points=\"56.0,16.0 672.0,100.0\""), "{svg}");
        assert!(svg.contains("points=\"56.0,184.0 672.0,16.0\""), "{svg}");
        assert!(svg.contains("<title>c3: 4 of 4 files migrated</title>"));
        assert_eq!(progress_svg(&[]), "");
    }
}
