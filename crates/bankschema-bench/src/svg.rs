//! The summary as an SVG bar chart, written by hand: a few dozen rectangles and
//! labels need no plotting crate.

use std::fmt::Write;

/// One colour per side, in the order of the sides (bankschema, the two typed
/// reads, the two jsonschema sides).
const COLOURS: [&str; 5] = ["#1b7f5b", "#8a8a8a", "#7a4fb0", "#3b6fb6", "#c9822b"];
/// The room each side's name takes in the legend.
const LEGEND: f64 = 125.0;
const LABEL: f64 = 300.0;
const BARS: f64 = 520.0;
const BAR: f64 = 11.0;

/// One group of bars per case, each bar its side's median relative to the slowest
/// side of that case, labelled with its time. Sides past the colours there are
/// share the last one.
pub fn chart<const N: usize>(rows: &[(String, [f64; N])], sides: &[&str; N]) -> String {
    let group = BAR * sides.len() as f64 + 10.0;
    let height = 40.0 + group * rows.len() as f64;
    let width = (LABEL + BARS + 110.0).max(LABEL + LEGEND * N as f64);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    for (i, side) in sides.iter().enumerate() {
        let x = LABEL + i as f64 * LEGEND;
        let _ = writeln!(svg, "<rect x=\"{x}\" y=\"8\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"17\">{side}</text>", colour(i), x + 14.0);
    }
    for (row, (name, ns)) in rows.iter().enumerate() {
        let top = 30.0 + row as f64 * group;
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL - 8.0,
            top + group / 2.0,
            escape(name)
        );
        let slowest = ns.iter().copied().fold(f64::MIN, f64::max).max(1.0);
        for (i, value) in ns.iter().enumerate() {
            let y = top + i as f64 * BAR;
            let length = (value / slowest * BARS).max(1.0);
            let _ = writeln!(
                svg,
                "<rect x=\"{LABEL}\" y=\"{y}\" width=\"{length:.1}\" height=\"{}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{}\">{}</text>",
                BAR - 2.0,
                colour(i),
                LABEL + length + 4.0,
                y + BAR - 3.0,
                micros(*value)
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

fn colour(side: usize) -> &'static str {
    COLOURS[side.min(COLOURS.len() - 1)]
}

fn micros(ns: f64) -> String {
    format!("{:.2} µs", ns / 1e3)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bar_per_side_and_case_scaled_to_the_slowest() {
        let svg = chart(
            &[("a<b".into(), [1000.0, 500.0, 2000.0, 4000.0])],
            &["w", "x", "y", "z"],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert_eq!(svg.matches("<rect").count(), 1 + 4 + 4);
        assert!(svg.contains("a&lt;b"));
        assert!(
            svg.contains(&format!("width=\"{:.1}\"", BARS)),
            "the slowest bar is full width"
        );
        assert!(svg.contains("1.00 µs"));
    }

    #[test]
    fn five_sides_each_in_a_colour_of_its_own_within_the_width() {
        let svg = chart(
            &[("a".into(), [1.0, 2.0, 3.0, 4.0, 5.0])],
            &["v", "w", "x", "y", "z"],
        );
        assert_eq!(svg.matches("<rect").count(), 1 + 5 + 5);
        for colour in COLOURS {
            assert_eq!(
                svg.matches(colour).count(),
                2,
                "{colour}: its legend and its bar"
            );
        }
    }
}
