//! Numbers as the tables, exports and diffs show them, formatted by the same const fns as
//! compile-time messages (`nncost_core::Message`), so a figure reads the same everywhere.

use nncost_core::{Message, UnitSystem};

/// `1,814,073,344`.
pub(crate) fn grouped(n: u64) -> String {
    let mut m = Message::new();
    m.push_grouped(n);
    m.as_str().to_owned()
}

/// `+1,849,688,064`, `-512`, `0`.
pub(crate) fn signed_grouped(delta: i128) -> String {
    let sign = match delta {
        d if d > 0 => "+",
        d if d < 0 => "-",
        _ => "",
    };
    let magnitude = delta.unsigned_abs();
    match u64::try_from(magnitude) {
        Ok(n) => format!("{sign}{}", grouped(n)),
        // Two u64 figures differ by less than 2^64, so this is unreachable; say so plainly.
        Err(_) => format!("{sign}{magnitude}"),
    }
}

/// `1.81 G`.
pub(crate) fn human(n: u64) -> String {
    let mut m = Message::new();
    m.push_human(n, UnitSystem::Count);
    m.as_str().to_owned()
}

/// `44.6 MiB`.
pub(crate) fn human_bytes(n: u64) -> String {
    let mut m = Message::new();
    m.push_human(n, UnitSystem::BinaryBytes);
    m.as_str().to_owned()
}

/// `46,758,048 B (44.6 MiB)`.
pub(crate) fn exact_bytes(n: u64) -> String {
    let mut m = Message::new();
    m.push_exact_and_human(n, UnitSystem::BinaryBytes);
    m.as_str().to_owned()
}

/// A shape as PyTorch prints it: `[1, 64, 56, 56]`.
pub(crate) fn shape(dims: &[u64]) -> String {
    let dims: Vec<String> = dims.iter().map(u64::to_string).collect();
    format!("[{}]", dims.join(", "))
}

/// `part` as a percentage of `whole` with one decimal (`6.5%`), or nothing when either is 0.
pub(crate) fn share(part: u64, whole: u64) -> String {
    if whole == 0 || part == 0 {
        String::new()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// FLOPs per byte with one decimal, or nothing when nothing moves.
pub(crate) fn intensity(flops: u64, access: u64) -> String {
    if access == 0 {
        String::new()
    } else {
        format!("{:.1}", flops as f64 / access as f64)
    }
}

/// A plain-text table: the header, a rule, the rows, a rule and the totals, each column as wide
/// as its widest cell, the columns marked in `right` right-aligned (numbers), two spaces
/// between columns, no trailing spaces. Rows may be shorter than the header (fewer columns).
pub(crate) fn write_table(
    f: &mut std::fmt::Formatter<'_>,
    headers: &[&str],
    right: &[bool],
    rows: &[Vec<String>],
    totals: &[String],
) -> std::fmt::Result {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows
        .iter()
        .map(Vec::as_slice)
        .chain(std::iter::once(totals))
    {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |f: &mut std::fmt::Formatter<'_>, row: &[String]| -> std::fmt::Result {
        let mut text = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w - cell.chars().count());
            if i > 0 {
                text.push_str("  ");
            }
            if right[i] {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
        }
        writeln!(f, "{}", text.trim_end())
    };
    let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    line(f, &header)?;
    let rule: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
    writeln!(f, "{}", "-".repeat(rule))?;
    for row in rows {
        line(f, row)?;
    }
    writeln!(f, "{}", "-".repeat(rule))?;
    line(f, totals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_groups() {
        assert_eq!(signed_grouped(1_849_688_064), "+1,849,688,064");
        assert_eq!(signed_grouped(-512), "-512");
        assert_eq!(signed_grouped(0), "0");
        assert_eq!(
            signed_grouped(-(u64::MAX as i128)),
            "-18,446,744,073,709,551,615"
        );
        assert_eq!(shape(&[1, 64, 56, 56]), "[1, 64, 56, 56]");
        assert_eq!(share(1, 3), "33.3%");
        assert_eq!(share(0, 3), "");
        assert_eq!(intensity(10, 4), "2.5");
    }
}
