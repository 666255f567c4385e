//! Error collection: every problem found is kept and reported together (as serde_derive's `Ctxt`).

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// Collects errors instead of stopping at the first one.
#[derive(Default)]
pub struct Errors {
    first: Option<syn::Error>,
}

impl Errors {
    /// Records `error`.
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.first {
            Some(first) => first.combine(error),
            None => self.first = Some(error),
        }
    }

    /// Records an error at `span`.
    pub fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Records an error covering `tokens`.
    pub fn spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Moves all of `other`'s errors into `self`.
    pub fn append(&mut self, other: Errors) {
        if let Some(e) = other.first {
            self.push(e);
        }
    }

    /// Whether any error was recorded.
    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    /// `result`'s value, or `None` with its error recorded.
    pub fn ok<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    /// A macro's output: `tokens`, then a `compile_error!` for every recorded error.
    pub fn emit(self, mut tokens: TokenStream) -> TokenStream {
        if let Some(error) = self.first {
            tokens.extend(error.into_compile_error());
        }
        tokens
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word_lower = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&word_lower, &c.to_ascii_lowercase()), *c))
        // Close enough, and not a rewrite of every char (`X` is not a typo of `K`).
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1) && *d < word.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance over chars: insertions, deletions, substitutions and
/// transpositions of adjacent chars (`inptu` is one edit from `input`) each cost 1. Inputs are
/// short identifiers.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: two rows back (for transpositions), the previous and the current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            cur[j] = best;
        }
        before = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(
            did_you_mean("mac", &["params", "macs", "flops"]),
            Some("macs")
        );
        assert_eq!(did_you_mean("Mib", &["MiB", "MB", "GiB"]), Some("MiB"));
        assert_eq!(did_you_mean("latency", &["params", "macs", "flops"]), None);
    }

    #[test]
    fn transpositions_are_one_edit() {
        assert_eq!(edit_distance("inptu", "input"), 1);
        assert_eq!(edit_distance("mcas", "macs"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("abc", "ca"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            did_you_mean("inptu", &["input", "batch", "budget", "dtype"]),
            Some("input")
        );
        assert_eq!(
            did_you_mean("bugdet", &["input", "batch", "budget", "dtype"]),
            Some("budget")
        );
        assert_eq!(
            did_you_mean("parmas", &["params", "macs", "flops"]),
            Some("params")
        );
        assert_eq!(
            did_you_mean("residaul", &["residual", "concat"]),
            Some("residual")
        );
    }
}
