//! Inline SVG charts for the HTML report: a trend line, bar charts, and a calendar grid.
//! Every text that reaches the markup goes through [`escape`].
//!
//! Each chart is a picture with words: its `aria-label` says in a sentence what it shows
//! (the range, the highest and lowest, the totals), and a visually hidden table beside it
//! holds its figures, so a screen reader reads the chart and a person who cannot see it
//! misses nothing.

use chrono::NaiveDate;
use std::fmt::Write;

/// A table a screen reader reads and a screen does not show: `caption`, `headers`, `rows`.
pub fn hidden_table(caption: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        r#"<table class="visually-hidden"><caption>{}</caption><thead><tr>"#,
        escape(caption)
    );
    for header in headers {
        let _ = write!(out, r#"<th scope="col">{}</th>"#, escape(header));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                let _ = write!(out, r#"<th scope="row">{}</th>"#, escape(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", escape(cell));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// A value for people: one decimal, or "no data".
fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "no data".to_owned(), |v| format!("{v:.1}"))
}

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

/// A line chart of several series over the same days (one value a day from `first` to
/// `last`), each scaled to its own range, with the first and last day labelled; `caption`
/// names it. Its description gives each series' first, last, lowest and highest value; its
/// hidden table one row a week.
pub fn trend(series: &[Series<'_>], first: NaiveDate, last: NaiveDate, caption: &str) -> String {
    let mut summary = format!("{caption}, {first} to {last}: ");
    let described: Vec<String> = series
        .iter()
        .map(|s| {
            let known: Vec<f64> = s.values.iter().flatten().copied().collect();
            let low = known
                .iter()
                .copied()
                .fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.min(v))));
            let high = known
                .iter()
                .copied()
                .fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.max(v))));
            format!(
                "{} from {} to {}, lowest {}, highest {}",
                s.name,
                figure(known.first().copied()),
                figure(known.last().copied()),
                figure(low),
                figure(high)
            )
        })
        .collect();
    summary.push_str(&described.join("; "));
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{}"><rect x="{PAD}" y="8" width="{}" height="{}" class="frame"/>"#,
        escape(&summary),
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
        first,
        W - PAD,
        H - 10.0,
        last
    );
    let mut headers = vec!["day"];
    headers.extend(series.iter().map(|s| s.name));
    let days = series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    let rows: Vec<Vec<String>> = (0..days)
        .filter(|day| day % 7 == 0 || day + 1 == days)
        .map(|day| {
            let date = first
                .checked_add_days(chrono::Days::new(day as u64))
                .map_or_else(String::new, |d| d.to_string());
            let mut row = vec![date];
            row.extend(
                series
                    .iter()
                    .map(|s| figure(s.values.get(day).copied().flatten())),
            );
            row
        })
        .collect();
    svg.push_str(&hidden_table(caption, &headers, &rows));
    svg
}

/// A vertical bar chart with a label under each bar (`labels`, some may be empty to keep
/// the axis light) and each bar's full name in `names` (what they are: `what`); `caption`
/// names it. Its description gives the total and the highest bars; its hidden table every
/// bar.
pub fn bars(
    values: &[i32],
    labels: &[String],
    (what, names): (&str, &[String]),
    color: &str,
    caption: &str,
) -> String {
    let n = values.len().max(1) as f64;
    let peak_value = values.iter().copied().max().unwrap_or(0);
    let peak = f64::from(peak_value.max(1));
    let slot = (W - 2.0 * PAD) / n;
    let total: i64 = values.iter().map(|v| i64::from(*v)).sum();
    let highest: Vec<&str> = values
        .iter()
        .zip(names)
        .filter(|(v, _)| **v == peak_value && peak_value > 0)
        .map(|(_, name)| name.as_str())
        .collect();
    let summary = if highest.is_empty() {
        format!("{caption}: none")
    } else {
        format!(
            "{caption}: {total} in all, most at {} ({peak_value})",
            highest.join(", ")
        )
    };
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{}">"#,
        escape(&summary)
    );
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
    let rows: Vec<Vec<String>> = names
        .iter()
        .zip(values)
        .map(|(name, v)| vec![name.clone(), v.to_string()])
        .collect();
    svg.push_str(&hidden_table(caption, &[what, "count"], &rows));
    svg
}

/// Horizontal bars: a label, a bar of `value` out of `total`, and the figures; `caption`
/// names them. Its description and hidden table give every row's figures.
pub fn horizontal(rows: &[(String, i32, i32)], color: &str, caption: &str) -> String {
    let height = 28.0 * rows.len().max(1) as f64 + 8.0;
    let described: Vec<String> = rows
        .iter()
        .map(|(label, value, total)| format!("{label} {value} of {total}"))
        .collect();
    let summary = format!("{caption}: {}", described.join("; "));
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {height}" role="img" aria-label="{}">"#,
        escape(&summary)
    );
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
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|(label, value, total)| vec![label.clone(), value.to_string(), total.to_string()])
        .collect();
    svg.push_str(&hidden_table(caption, &["card", "helped", "used"], &table));
    svg
}

/// A calendar: one column per week, Monday at the top; each cell's class names its state;
/// `summary` says in words what it shows (how many days of each state, and when).
pub fn calendar(weeks: &[[&str; 7]], month_labels: &[(usize, String)], summary: &str) -> String {
    let cell = 12.0;
    let width = 40.0 + cell * weeks.len() as f64;
    let mut svg = format!(
        r#"<svg class="calendar" viewBox="0 0 {width} {}" role="img" aria-label="{}">"#,
        cell * 7.0 + 20.0,
        escape(summary)
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
        let labels = ["<b>".to_owned(), "ok".to_owned()];
        let svg = bars(
            &[1, 2],
            &labels,
            ("label", &labels),
            "red",
            "<i>caption</i>",
        );
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
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 4).unwrap(),
            "mood",
        );
        let start = svg.find("<path d=\"").unwrap() + 9;
        let path = &svg[start..start + svg[start..].find('"').unwrap()];
        assert_eq!(path.matches('M').count(), 2, "{svg}");
        assert_eq!(path.matches('L').count(), 1, "{svg}");
    }
}

#[cfg(test)]
mod words {
    use super::*;

    #[test]
    fn every_chart_says_in_words_what_it_shows() {
        let names: Vec<String> = ["Mon", "Tue", "Wed"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let svg = bars(
            &[2, 5, 1],
            &names,
            ("weekday", &names),
            "red",
            "Triggers by weekday",
        );
        assert!(
            svg.contains(r#"aria-label="Triggers by weekday: 8 in all, most at Tue (5)""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<th scope="row">Tue</th><td>5</td>"#),
            "{svg}"
        );
        let svg = horizontal(&[("Walk".into(), 3, 4)], "green", "Cards");
        assert!(svg.contains(r#"aria-label="Cards: Walk 3 of 4""#), "{svg}");
        let svg = trend(
            &[Series {
                name: "mood (1-5)",
                color: "#333",
                values: vec![Some(2.0), Some(4.0), None],
                min: 1.0,
                max: 5.0,
            }],
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
            "Mood",
        );
        assert!(
            svg.contains("Mood, 2026-03-01 to 2026-03-03: mood (1-5) from 2.0 to 4.0, lowest 2.0, highest 4.0"),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<th scope="row">2026-03-03</th><td>no data</td>"#),
            "{svg}"
        );
    }
}
