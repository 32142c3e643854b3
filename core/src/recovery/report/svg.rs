//! Inline SVG charts for the HTML report: a trend line, bar charts, and a calendar grid.
//! Every text that reaches the markup goes through [`escape`].

use std::fmt::Write;

/// Escapes text for HTML and SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One line of a trend chart.
pub struct Series<'a> {
    /// Its name in the legend.
    pub name: &'a str,
    /// Its colour.
    pub color: &'a str,
    /// One value per day (None: no data that day).
    pub values: Vec<Option<f64>>,
    /// The value at the bottom of the chart.
    pub min: f64,
    /// The value at the top.
    pub max: f64,
}

const W: f64 = 720.0;
const H: f64 = 220.0;
const PAD: f64 = 32.0;

/// A line chart of several series over the same days, each scaled to its own range, with
/// the first and last day labelled.
pub fn trend(series: &[Series<'_>], first: &str, last: &str) -> String {
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="trend"><rect x="{PAD}" y="8" width="{}" height="{}" class="frame"/>"#,
        W - 2.0 * PAD,
        H - PAD - 8.0
    );
    for (i, s) in series.iter().enumerate() {
        let n = s.values.len().max(2) as f64;
        let x = |i: usize| PAD + (W - 2.0 * PAD) * i as f64 / (n - 1.0);
        let y = |v: f64| {
            let t = if s.max > s.min {
                ((v - s.min) / (s.max - s.min)).clamp(0.0, 1.0)
            } else {
                0.0
            };
            H - PAD - t * (H - PAD - 8.0)
        };
        let mut path = String::new();
        let mut pen_down = false;
        for (day, value) in s.values.iter().enumerate() {
            match value {
                Some(v) => {
                    let _ = write!(
                        path,
                        "{}{:.1},{:.1} ",
                        if pen_down { "L" } else { "M" },
                        x(day),
                        y(*v)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(
            svg,
            r#"<path d="{}" fill="none" stroke="{}" stroke-width="2"/><text x="{}" y="{}" fill="{}" class="legend">{}</text>"#,
            path.trim_end(),
            escape(s.color),
            PAD + 8.0 + 140.0 * i as f64,
            24.0,
            escape(s.color),
            escape(s.name)
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{PAD}" y="{}" class="axis">{}</text><text x="{}" y="{}" class="axis" text-anchor="end">{}</text></svg>"#,
        H - 10.0,
        escape(first),
        W - PAD,
        H - 10.0,
        escape(last)
    );
    svg
}

/// A vertical bar chart with a label under each bar.
pub fn bars(values: &[i32], labels: &[String], color: &str) -> String {
    let n = values.len().max(1) as f64;
    let peak = f64::from(values.iter().copied().max().unwrap_or(0).max(1));
    let slot = (W - 2.0 * PAD) / n;
    let mut svg =
        format!(r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="bars">"#);
    for (i, &v) in values.iter().enumerate() {
        let h = (H - PAD - 16.0) * f64::from(v) / peak;
        let x = PAD + slot * i as f64;
        let _ = write!(
            svg,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{}</title></rect>"#,
            x + slot * 0.15,
            H - PAD - h,
            slot * 0.7,
            h,
            escape(color),
            v
        );
        if let Some(label) = labels.get(i) {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{}" class="axis" text-anchor="middle">{}</text>"#,
                x + slot / 2.0,
                H - 12.0,
                escape(label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars: a label, a bar of `value` out of `total`, and the figures.
pub fn horizontal(rows: &[(String, i32, i32)], color: &str) -> String {
    let height = 28.0 * rows.len().max(1) as f64 + 8.0;
    let mut svg =
        format!(r#"<svg class="chart" viewBox="0 0 {W} {height}" role="img" aria-label="cards">"#);
    for (i, (label, value, total)) in rows.iter().enumerate() {
        let y = 8.0 + 28.0 * i as f64;
        let share = if *total > 0 {
            f64::from(*value) / f64::from(*total)
        } else {
            0.0
        };
        let _ = write!(
            svg,
            r#"<text x="0" y="{:.1}" class="label">{}</text><rect x="260" y="{:.1}" width="{:.1}" height="16" fill="{}"/><rect x="260" y="{:.1}" width="360" height="16" class="frame"/><text x="630" y="{:.1}" class="axis">{} of {}</text>"#,
            y + 13.0,
            escape(label),
            y,
            360.0 * share,
            escape(color),
            y,
            y + 13.0,
            value,
            total
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A calendar: one column per week, Monday at the top; each cell's class names its state.
pub fn calendar(weeks: &[[&str; 7]], month_labels: &[(usize, String)]) -> String {
    let cell = 12.0;
    let width = 40.0 + cell * weeks.len() as f64;
    let mut svg = format!(
        r#"<svg class="calendar" viewBox="0 0 {width} {}" role="img" aria-label="calendar">"#,
        cell * 7.0 + 20.0
    );
    for (i, day) in ["Mon", "Wed", "Fri"].iter().enumerate() {
        let _ = write!(
            svg,
            r#"<text x="0" y="{:.1}" class="axis">{day}</text>"#,
            20.0 + cell * (2 * i) as f64 + 9.0
        );
    }
    for (week, label) in month_labels {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="10" class="axis">{}</text>"#,
            40.0 + cell * *week as f64,
            escape(label)
        );
    }
    for (w, days) in weeks.iter().enumerate() {
        for (d, class) in days.iter().enumerate() {
            if class.is_empty() {
                continue;
            }
            let _ = write!(
                svg,
                r#"<rect x="{:.1}" y="{:.1}" width="10" height="10" rx="2" class="{}"/>"#,
                40.0 + cell * w as f64,
                20.0 + cell * d as f64,
                escape(class)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_break_out_of_the_markup() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
        let svg = bars(&[1, 2], &["<b>".into(), "ok".into()], "red");
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
    }

    #[test]
    fn a_gap_in_the_data_lifts_the_pen() {
        let svg = trend(
            &[Series {
                name: "mood",
                color: "#333",
                values: vec![Some(1.0), None, Some(5.0), Some(3.0)],
                min: 1.0,
                max: 5.0,
            }],
            "a",
            "b",
        );
        assert_eq!(svg.matches('M').count(), 2, "{svg}");
        assert_eq!(svg.matches('L').count(), 1, "{svg}");
    }
}
