//! A small SVG writer: the document, text (escaped), and the palette the charts share.

use std::fmt::Write;

/// Blue for compute (MACs, compute-bound layers).
pub(crate) const COMPUTE: &str = "#3b6fb6";
/// Orange for memory (bytes, memory-bound layers).
pub(crate) const MEMORY: &str = "#e07b28";
/// Dark grey for text and axes.
pub(crate) const INK: &str = "#222222";
/// Light grey for grid lines and row stripes.
pub(crate) const GRID: &str = "#dddddd";
/// Mid grey for secondary text.
pub(crate) const MUTED: &str = "#666666";
/// The font: the viewer's sans-serif.
const FONT: &str = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\"";

/// An SVG document being written.
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// A `width` × `height` document with a white background and a `<title>`.
    pub(crate) fn new(width: f64, height: f64, title: &str) -> Svg {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
             viewBox=\"0 0 {width} {height}\" {FONT} font-size=\"12\">\n<title>{}</title>\n\
             <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
            escape(title)
        );
        Svg { out }
    }

    /// Raw markup (already escaped).
    pub(crate) fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
        self.out.push('\n');
    }

    /// Text at `(x, y)`; `anchor` is `start`, `middle` or `end`; `extra` more attributes (a
    /// `fill` there replaces the default ink).
    pub(crate) fn text(&mut self, x: f64, y: f64, anchor: &str, extra: &str, text: &str) {
        let fill = if extra.contains("fill=") {
            String::new()
        } else {
            format!(" fill=\"{INK}\"")
        };
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(" {extra}")
        };
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\"{fill}{extra}>{}</text>",
            num(x),
            num(y),
            escape(text)
        );
    }

    /// A line from `(x1, y1)` to `(x2, y2)`.
    pub(crate) fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str) {
        let _ = writeln!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\"/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    /// The finished document.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// A coordinate with at most two decimals, so files stay small and stable.
pub(crate) fn num(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}

/// Text with `&`, `<`, `>` and `"` escaped for SVG.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The width of `text` at 12 px in a sans-serif font, roughly: for laying out label columns.
pub(crate) fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 7.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_text() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.3456), "12.35");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
