//! Fewer rows: cut at a depth (torchinfo's `depth`) and fold identical repeated blocks into one
//! row (`layer3.1–5 ×5`).

use super::figures::{figure, Repeated};
use super::snapshot::{LayerSnapshot, Snapshot};

impl Snapshot {
    /// Only the rows less than `depth` levels deep: `depth(1)` keeps the model's own entries, as
    /// torchinfo's `depth=1`. Groups at the cut keep their totals, so nothing is lost from the
    /// sums.
    ///
    /// ```
    /// # #[cfg(feature = "zoo")] {
    /// use nncost::export::Snapshot;
    /// use nncost::zoo::ResNet18;
    /// let top = Snapshot::of::<ResNet18>().depth(1);
    /// let paths: Vec<&str> = top.layers.iter().map(|l| l.path.as_str()).collect();
    /// assert_eq!(paths, ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4",
    ///     "avgpool", "flatten", "fc"]);
    /// # }
    /// ```
    pub fn depth(mut self, depth: usize) -> Snapshot {
        self.layers.retain(|l| (l.depth as usize) < depth);
        self
    }

    /// Identical repeated blocks folded into one row each: consecutive siblings named by index
    /// (`layer3.1`, `layer3.2`, ..) whose rows are the same all the way down (kinds, shapes,
    /// figures) become `layer3.1–35`, with `repeat` 35, figures summed over the copies (a peak
    /// or a tensor size is one copy's), and their rows beneath folded the same way. Folds
    /// nest: repeats inside a folded block fold too.
    ///
    /// ```
    /// # #[cfg(feature = "zoo")] {
    /// use nncost::export::Snapshot;
    /// use nncost::zoo::ResNet152;
    /// let full = Snapshot::of::<ResNet152>();
    /// let folded = full.clone().fold();
    /// let row = folded.layers.iter().find(|l| l.path == "layer3.1–35").unwrap();
    /// assert_eq!(row.repeat, 35);
    /// // The same totals, in far fewer rows.
    /// assert!(folded.layers.len() * 4 < full.layers.len());
    /// let top = |s: &Snapshot, key| s.layers.iter().filter(|l| l.depth == 0)
    ///     .map(|l| l.figures.get(key).unwrap()).sum::<u64>();
    /// assert_eq!(top(&folded, "macs"), top(&full, "macs"));
    /// # }
    /// ```
    pub fn fold(mut self) -> Snapshot {
        let mut folded = Vec::with_capacity(self.layers.len());
        fold_siblings(&self.layers, &mut folded);
        self.layers = folded;
        self
    }
}

/// Folds `rows`, a run of sibling subtrees (each a row and the deeper rows after it), into
/// `out`.
fn fold_siblings(rows: &[LayerSnapshot], out: &mut Vec<LayerSnapshot>) {
    let mut i = 0;
    while i < rows.len() {
        let end = subtree_end(rows, i);
        // How many copies of `rows[i..end]` follow, indexed one after another.
        let mut copies = 1;
        let mut next = end;
        while next < rows.len() && is_copy(rows, i, end, next, copies) {
            copies += 1;
            next += end - i;
        }
        let root = &rows[i];
        // `layer3.1` .. `layer3.35` become `layer3.1–35`.
        let renamed = (copies > 1).then(|| {
            let first = last_segment(&root.path).1;
            let last = last_segment(&rows[next - (end - i)].path).1;
            format!("{}{first}–{last}", parent_prefix(&root.path))
        });
        let mut subtree = vec![root.clone()];
        fold_siblings(&rows[i + 1..end], &mut subtree);
        for mut row in subtree {
            if let Some(name) = &renamed {
                row.path = format!("{name}{}", &row.path[root.path.len()..]);
                times(&mut row, copies);
            }
            out.push(row);
        }
        i = next;
    }
}

/// The index after the subtree of `rows[i]`.
fn subtree_end(rows: &[LayerSnapshot], i: usize) -> usize {
    let depth = rows[i].depth;
    rows[i + 1..]
        .iter()
        .position(|r| r.depth <= depth)
        .map_or(rows.len(), |p| i + 1 + p)
}

/// Whether `rows[at..]` starts with copy number `copies` of `rows[first..end]`: the same rows
/// below a root named by the next index.
fn is_copy(rows: &[LayerSnapshot], first: usize, end: usize, at: usize, copies: usize) -> bool {
    let len = end - first;
    if at + len > rows.len() || subtree_end(rows, at) != at + len {
        return false;
    }
    let (a, b) = (&rows[first], &rows[at]);
    let (Ok(i), Ok(j)) = (
        last_segment(&a.path).1.parse::<u64>(),
        last_segment(&b.path).1.parse::<u64>(),
    ) else {
        return false;
    };
    if j != i + copies as u64 || a.depth != b.depth {
        return false;
    }
    (0..len).all(|t| {
        let (x, y) = (&rows[first + t], &rows[at + t]);
        x.path[a.path.len()..] == y.path[b.path.len()..]
            && x.kind == y.kind
            && x.depth == y.depth
            && x.group == y.group
            && x.repeat == y.repeat
            && x.flags == y.flags
            && x.output == y.output
            && x.figures == y.figures
            && x.operators == y.operators
    })
}

/// `("layer3", "4")` from `layer3.4`; `("", "conv1")` from `conv1`.
fn last_segment(path: &str) -> (&str, &str) {
    match path.rfind('.') {
        Some(dot) => (&path[..dot], &path[dot + 1..]),
        None => ("", path),
    }
}

/// `layer3.` from `layer3.4`; empty for a top-level name.
fn parent_prefix(path: &str) -> &str {
    match path.rfind('.') {
        Some(dot) => &path[..=dot],
        None => "",
    }
}

/// A row standing for `copies` identical ones: figures combined as [`Repeated`] says.
fn times(row: &mut LayerSnapshot, copies: usize) {
    let n = copies as u64;
    row.repeat = row.repeat.saturating_mul(n);
    row.figures = row
        .figures
        .map(|key, v| match figure(key).map(|f| f.repeated) {
            Some(Repeated::Once) => v,
            _ => v.saturating_mul(n),
        });
    row.operators = row.operators.map(|_, v| v.saturating_mul(n));
}
