//! Layer names, which make the paths in summaries and errors (`layer2.0.conv1`).
//!
//! Names are unique among the entries of one scope: a declaration's body or a named entry's
//! inside, with unnamed groups (`residual { .. }`, `concat { .. }`, `if`) transparent, their
//! layers named as if they stood in the scope. A name used again in a scope gets a numbered
//! path, `dropout_2` (the first free `name_N`), as merges are numbered `add`, `add_2`. What
//! the repetition means depends on where the two uses stand:
//!
//! - in the same list, or one in a group inside the other's list (burn's single `dropout` or
//!   `activation` field applied in several places, torchvision's `relu` applied in a residual
//!   body and after the add): the same module applied again. The entry is marked
//!   [`Entry::reuses`], and evaluation refuses it if the module has weights (two layers with
//!   weights need two names; applying one module twice with its weights is weight sharing);
//! - in two different groups (two unnamed `residual { norm: .. }` groups, a residual's body and
//!   shortcut): two layers that happen to share a name, as Hugging Face and torchvision name
//!   the layers of each sub-block;
//! - on two sides of one `if`: only one side is used, so the name stays as it is.
//!
//! Nothing here is an error: a weighted module named again is reported by the evaluator, which
//! knows its parameters.

use std::collections::{HashMap, HashSet};

use crate::ast::{Body, Entry, Item};

/// Names the entries of every scope in `body` (a declaration's body, a derived struct's).
pub fn assign(body: &mut Body) {
    let mut occurrences = Vec::new();
    let mut next_group = 0;
    collect(body, &mut Vec::new(), &mut next_group, &mut occurrences);
    let decisions = decide(&occurrences);
    let mut index = 0;
    apply(body, &decisions, &mut index);
}

/// One step into a group: which group (numbered in the scope) and which part of it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Step {
    group: usize,
    part: usize,
    /// The parts are alternatives (the sides of an `if`): only one of them is used.
    alternative: bool,
}

/// A named entry of the scope, and the groups it stands in.
struct Occurrence {
    name: String,
    path: Vec<Step>,
}

/// What a named entry of the scope becomes.
#[derive(Clone, Default)]
struct Decision {
    rename: Option<String>,
    reuses: Option<String>,
}

/// The name of an entry in paths (before renaming): its name, or a tuple field's index.
fn entry_name(entry: &Entry) -> Option<String> {
    match (&entry.name, &entry.label) {
        (Some(name), _) => Some(name.to_string()),
        (None, Some(label)) => Some(label.clone()),
        (None, None) => None,
    }
}

/// The parts of an unnamed group, in order, and whether they are alternatives.
fn group_parts(item: &Item) -> Option<(Vec<&Body>, bool)> {
    match item {
        Item::Residual { body, shortcut } => {
            Some((std::iter::once(body).chain(shortcut).collect(), false))
        }
        Item::Parallel { branches, .. } => Some((vec![branches], false)),
        Item::Seq(body) => Some((vec![body], false)),
        Item::If { .. } => {
            let mut parts = Vec::new();
            let mut side = Some(item);
            while let Some(current) = side {
                side = None;
                match current {
                    Item::If {
                        then, otherwise, ..
                    } => {
                        parts.push(then);
                        side = otherwise.as_deref();
                    }
                    Item::Seq(body) => parts.push(body),
                    _ => {}
                }
            }
            Some((parts, true))
        }
        Item::Layer(_)
        | Item::Block(_)
        | Item::Repeat { .. }
        | Item::Spread(_)
        | Item::Tuple(_)
        | Item::Join { .. }
        | Item::Moe(_) => None,
    }
}

/// The named entries of the scope `body`, in order, with the groups each stands in.
fn collect(body: &Body, path: &mut Vec<Step>, next_group: &mut usize, out: &mut Vec<Occurrence>) {
    for entry in &body.entries {
        if let Some(name) = entry_name(entry) {
            out.push(Occurrence {
                name,
                path: path.clone(),
            });
            continue;
        }
        let Some((parts, alternative)) = group_parts(&entry.item) else {
            continue;
        };
        let group = *next_group;
        *next_group += 1;
        for (part, body) in parts.into_iter().enumerate() {
            path.push(Step {
                group,
                part,
                alternative,
            });
            collect(body, path, next_group, out);
            path.pop();
        }
    }
}

/// How two uses of a name relate.
#[derive(PartialEq, Eq)]
enum Relation {
    /// One stands in the other's list (or in a group inside it): the same module again.
    Reuse,
    /// On different sides of one `if`.
    Alternative,
    /// In different groups: different layers.
    Distinct,
}

fn relation(earlier: &[Step], later: &[Step]) -> Relation {
    for (a, b) in earlier.iter().zip(later) {
        if a == b {
            continue;
        }
        return if a.group == b.group && a.alternative {
            Relation::Alternative
        } else {
            Relation::Distinct
        };
    }
    Relation::Reuse
}

fn decide(occurrences: &[Occurrence]) -> Vec<Decision> {
    let mut taken: HashSet<String> = occurrences.iter().map(|o| o.name.clone()).collect();
    let mut decisions = vec![Decision::default(); occurrences.len()];
    // The earlier uses of each name (linear in the entries: names rarely repeat).
    let mut earlier: HashMap<&str, Vec<&[Step]>> = HashMap::new();
    for (i, later) in occurrences.iter().enumerate() {
        let uses = earlier.entry(later.name.as_str()).or_default();
        let relations: Vec<Relation> = uses
            .iter()
            .map(|path| relation(path, &later.path))
            .collect();
        uses.push(&later.path);
        if relations.iter().all(|r| *r == Relation::Alternative) {
            continue;
        }
        let rename = (2..)
            .map(|n| format!("{}_{n}", later.name))
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or_default();
        taken.insert(rename.clone());
        decisions[i] = Decision {
            rename: Some(rename),
            reuses: relations
                .contains(&Relation::Reuse)
                .then(|| later.name.clone()),
        };
    }
    decisions
}

/// Writes the decisions into the scope's entries (in [`collect`]'s order) and names the scopes
/// inside its named entries.
fn apply(body: &mut Body, decisions: &[Decision], index: &mut usize) {
    for entry in &mut body.entries {
        if entry_name(entry).is_some() {
            if let Some(decision) = decisions.get(*index) {
                entry.rename.clone_from(&decision.rename);
                entry.reuses.clone_from(&decision.reuses);
            }
            *index += 1;
            assign_inside(&mut entry.item);
            continue;
        }
        match &mut entry.item {
            Item::Residual { body, shortcut } => {
                apply(body, decisions, index);
                if let Some(shortcut) = shortcut {
                    apply(shortcut, decisions, index);
                }
            }
            Item::Parallel { branches, .. } => apply(branches, decisions, index),
            Item::Seq(body) => apply(body, decisions, index),
            item @ Item::If { .. } => {
                let mut side = Some(item);
                while let Some(current) = side {
                    side = None;
                    match current {
                        Item::If {
                            then, otherwise, ..
                        } => {
                            apply(then, decisions, index);
                            side = otherwise.as_deref_mut();
                        }
                        Item::Seq(body) => apply(body, decisions, index),
                        _ => {}
                    }
                }
            }
            Item::Layer(_)
            | Item::Block(_)
            | Item::Repeat { .. }
            | Item::Spread(_)
            | Item::Tuple(_)
            | Item::Join { .. }
            | Item::Moe(_) => {}
        }
    }
}

/// Names the scopes inside a named entry's item: its own body, a repeated item's, a tuple's.
fn assign_inside(item: &mut Item) {
    match item {
        Item::Layer(_) | Item::Block(_) | Item::Join { .. } => {}
        Item::Repeat { item, .. } | Item::Spread(item) => assign_inside(item),
        Item::Tuple(items) => items.iter_mut().for_each(assign_inside),
        Item::Seq(body) => assign(body),
        // A mixture's parts are named by their roles; the scopes inside them are their own.
        Item::Moe(moe) => moe
            .parts_mut()
            .for_each(|part| assign_inside(&mut part.item)),
        // A structure as a named entry's item is a scope of its own, its groups transparent.
        structure => {
            let mut scope = Body {
                entries: vec![Entry {
                    name: None,
                    label: None,
                    item: std::mem::replace(structure, Item::Tuple(Vec::new())),
                    first: proc_macro2::Span::call_site(),
                    last: proc_macro2::Span::call_site(),
                    rename: None,
                    reuses: None,
                    splice: None,
                    sources: Vec::new(),
                    modes: crate::ast::Modes::default(),
                }],
                span: proc_macro2::Span::call_site(),
                empty: false,
            };
            assign(&mut scope);
            if let Some(entry) = scope.entries.pop() {
                *structure = entry.item;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::NetworkInput;
    use crate::ctxt::Errors;
    use quote::quote;
    use syn::parse::Parser;

    /// `(path name, reused name)` of every named entry of the first declaration's body, in
    /// order, flattening unnamed groups.
    fn names(tokens: proc_macro2::TokenStream) -> Vec<(String, Option<String>)> {
        let mut errors = Errors::default();
        let parser = |input: syn::parse::ParseStream| NetworkInput::parse(input, &mut errors);
        let mut parsed = parser.parse2(tokens).unwrap_or_else(|e| panic!("{e}"));
        let body = parsed.decls[0]
            .body
            .as_mut()
            .unwrap_or_else(|| panic!("no body"));
        assign(body);
        let mut out = Vec::new();
        flatten(body, &mut out);
        out
    }

    fn flatten(body: &Body, out: &mut Vec<(String, Option<String>)>) {
        for entry in &body.entries {
            match entry_name(entry) {
                Some(name) => {
                    out.push((entry.rename.clone().unwrap_or(name), entry.reuses.clone()))
                }
                None => {
                    if let Some((parts, _)) = group_parts(&entry.item) {
                        parts.into_iter().for_each(|b| flatten(b, out));
                    }
                }
            }
        }
    }

    fn plain(list: &[&str]) -> Vec<(String, Option<String>)> {
        list.iter().map(|n| ((*n).to_owned(), None)).collect()
    }

    #[test]
    fn distinct_names_stay_as_they_are() {
        let out = names(quote!([::nncost] model M { a: A, residual { b: B }, c: C }));
        assert_eq!(out, plain(&["a", "b", "c"]));
    }

    #[test]
    fn a_name_in_the_same_list_is_the_module_again() {
        let out = names(quote!([::nncost] model M {
            conv1: A, dropout: D, conv2: A, dropout: D, act: R, dropout: D, dropout_2: X
        }));
        let reused = |n: &str| (n.to_owned(), Some("dropout".to_owned()));
        assert_eq!(
            out,
            vec![
                ("conv1".to_owned(), None),
                ("dropout".to_owned(), None),
                ("conv2".to_owned(), None),
                reused("dropout_3"),
                ("act".to_owned(), None),
                reused("dropout_4"),
                ("dropout_2".to_owned(), None),
            ]
        );
    }

    #[test]
    fn names_in_two_groups_are_two_layers() {
        let out = names(quote!([::nncost] model M {
            residual { norm: N, attn: A },
            residual { norm: N, mlp: M },
            residual { x: X } shortcut { x: Y },
        }));
        assert_eq!(out, plain(&["norm", "attn", "norm_2", "mlp", "x", "x_2"]));
    }

    #[test]
    fn a_group_and_its_list_share_modules() {
        let out = names(quote!([::nncost] model M {
            residual { conv: C, relu: R }, relu: R
        }));
        assert_eq!(out[2], ("relu_2".to_owned(), Some("relu".to_owned())));
    }

    #[test]
    fn sides_of_an_if_keep_their_names() {
        let out = names(quote!([::nncost] model M {
            if X { a: A } else { a: B }, a: C
        }));
        assert_eq!(
            out,
            vec![
                ("a".to_owned(), None),
                ("a".to_owned(), None),
                ("a_2".to_owned(), Some("a".to_owned())),
            ]
        );
    }

    #[test]
    fn named_entries_are_scopes_of_their_own() {
        let out = names(quote!([::nncost] model M {
            s1: { a: A, a: A }, s2: residual { a: A }, a: A
        }));
        assert_eq!(out, plain(&["s1", "s2", "a"]));
    }
}
