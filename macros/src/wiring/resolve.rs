//! Name resolution: walks a declaration in execution order, giving every entry's output a
//! tensor, resolving each name an entry reads (with suggestions for unknown ones), and
//! recording every read with the repeats and conditions it happens in.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use syn::Type;

use super::{
    key, Binding, Boundary, BoundaryKind, Reader, Resolver, Tensor, TensorId, FROZEN, SHARED,
    SHARED_AFTER_FIRST, TRAIN_ONLY,
};
use crate::ast::{Body, Entry, Item, TensorRef};
use crate::ctxt::did_you_mean;

/// Every entry name in `body`, at any depth.
pub(super) fn collect_names(body: &Body, names: &mut HashSet<String>) {
    for entry in &body.entries {
        if let Some(name) = &entry.name {
            names.insert(name.to_string());
        }
        if let Some(label) = &entry.label {
            names.insert(label.clone());
        }
        collect_item_names(&entry.item, names);
    }
}

fn collect_item_names(item: &Item, names: &mut HashSet<String>) {
    match item {
        Item::Seq(body) => collect_names(body, names),
        Item::Residual { body, shortcut } => {
            collect_names(body, names);
            if let Some(shortcut) = shortcut {
                collect_names(shortcut, names);
            }
        }
        Item::Parallel { branches, .. } => collect_names(branches, names),
        Item::If {
            then, otherwise, ..
        } => {
            collect_names(then, names);
            if let Some(otherwise) = otherwise {
                collect_item_names(otherwise, names);
            }
        }
        Item::Repeat { item, .. } | Item::Spread(item) => collect_item_names(item, names),
        Item::Tuple(items) => items.iter().for_each(|i| collect_item_names(i, names)),
        // A mixture's parts read its input only; their names are not tensors.
        Item::Layer(_) | Item::Block(_) | Item::Join { .. } | Item::Moe(_) => {}
    }
}

impl Resolver<'_> {
    fn tick(&mut self) -> u32 {
        self.clock += 1;
        self.clock
    }

    pub(super) fn tensor(
        &mut self,
        name: String,
        ready: u32,
        entry: Option<usize>,
        output: String,
        span: Span,
    ) -> TensorId {
        let _ = name;
        self.tensors.push(Tensor {
            ready,
            entry,
            output,
            chain: self.chain.clone(),
            readers: Vec::new(),
            named: false,
            pinned: false,
            train_only: false,
            span,
        });
        self.tensors.len() - 1
    }

    fn scope(&mut self) -> &mut HashMap<String, Binding> {
        let last = self.scopes.len() - 1;
        &mut self.scopes[last]
    }

    /// Walks a body whose first entry reads `input`; returns the tensor it ends with. With
    /// `transparent`, its names go into the current scope (else into a new one, returned by
    /// the caller through [`Resolver::take_scope`]).
    pub(super) fn body(&mut self, body: &Body, input: TensorId, transparent: bool) -> TensorId {
        if !transparent {
            self.scopes.push(HashMap::new());
        }
        let mut previous = input;
        for entry in &body.entries {
            previous = self.entry(entry, previous, false);
        }
        previous
    }

    fn take_scope(&mut self) -> HashMap<String, Binding> {
        self.scopes.pop().unwrap_or_default()
    }

    /// Walks one entry reading `previous` unless it names its tensors; returns the tensor that
    /// the next entry reads (its output, or `previous` after a train-only head). `branch`: the
    /// entry is a branch of a merge (its output is an operand).
    fn entry(&mut self, entry: &Entry, previous: TensorId, branch: bool) -> TensorId {
        let id = key(entry);
        let start = self.tick();
        let mut flags = 0;
        if entry.modes.train_only.is_some() {
            flags |= TRAIN_ONLY;
        }
        if entry.modes.frozen.is_some() {
            flags |= FROZEN;
        }
        if let Some(span) = entry.modes.shared {
            if matches!(entry.item, Item::Repeat { .. }) {
                flags |= SHARED_AFTER_FIRST;
            } else {
                self.errors.at(
                    span,
                    "`#[shared]` makes the copies of a repeat one module applied again and again, as in `#[shared] layers: [AlbertLayer; 12]`\nhelp: to apply an earlier entry's module to another tensor, name it as the item: `h4: p4 -> h3`",
                );
            }
        }
        if let (Some(span), true) = (entry.modes.train_only, branch) {
            self.errors.at(
                span,
                "a branch cannot run only in training: the merge needs its output in inference\nhelp: attach the head in a sequence, where the next entry reads what the head read",
            );
        }
        // What it reads.
        let mut explicit = Vec::new();
        let refs: &[TensorRef] = match &entry.item {
            Item::Join { operands, span, .. } => {
                if !entry.sources.is_empty() {
                    self.errors.at(
                        *span,
                        "a join names the tensors it merges inside its parentheses, without `->`",
                    );
                }
                operands
            }
            _ => &entry.sources,
        };
        for reference in refs {
            if let Some(tensor) = self.resolve(reference) {
                if self.tensors[tensor].train_only {
                    self.errors.at(
                        reference.span(),
                        format!(
                            "`{}` runs only in training: its output does not exist in inference",
                            reference.text()
                        ),
                    );
                }
                explicit.push(tensor);
            }
        }
        // A single source that is the previous output is simply the sequence going on.
        if explicit.len() == 1
            && explicit[0] == previous
            && !matches!(entry.item, Item::Join { .. })
        {
            explicit.clear();
        }
        let input = explicit.first().copied().unwrap_or(previous);
        // A sequence group (or a tuple) passes the tensor to its first entry, which records
        // the read: the group itself reads nothing, so a named tensor is released after that
        // entry, not kept until the whole group ends. (A first entry that reads other tensors
        // leaves the read to the group, which releases the tensor at its end.)
        let passes_on = entry.modes.train_only.is_none()
            && match &entry.item {
                Item::Seq(body) => body.entries.first().is_some_and(|first| {
                    first.sources.is_empty() && !matches!(first.item, Item::Join { .. })
                }),
                Item::Tuple(items) => {
                    (entry.name.is_some() || entry.label.is_some()) && !items.is_empty()
                }
                _ => false,
            };
        if explicit.is_empty() {
            if !passes_on {
                self.read(previous, id, None);
            }
        } else {
            for (i, &tensor) in explicit.iter().enumerate() {
                self.read(tensor, id, Some(i));
            }
            self.reads.insert(id, explicit.clone());
        }
        // Its item.
        let entry_name = entry
            .name
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| entry.label.clone());
        let named = entry_name.is_some();
        let mut inner = None;
        let mut block = false;
        match &entry.item {
            Item::Block(ty) => {
                block = true;
                if let Some(target) = self.module(ty) {
                    self.reuse.insert(key(&entry.item), target);
                    flags |= SHARED;
                }
            }
            Item::Seq(body) => {
                self.body(body, input, false);
                inner = Some(self.take_scope());
            }
            // A tuple's elements are entries `0`, `1`, .. in a row (`layer1.0`).
            Item::Tuple(items) if named => {
                self.scopes.push(HashMap::new());
                let mut previous = input;
                for (i, element) in items.iter().enumerate() {
                    if matches!(element, Item::Spread(_)) {
                        self.item(element, previous, id);
                        continue;
                    }
                    let element_id = key(element);
                    let start = self.tick();
                    self.read(previous, element_id, None);
                    let mut element_inner = None;
                    if let Item::Seq(body) = element {
                        self.body(body, previous, false);
                        element_inner = Some(self.take_scope());
                    } else {
                        self.item(element, previous, element_id);
                    }
                    let end = self.tick();
                    self.times.insert(element_id, (start, end));
                    let out = self.tensor(
                        i.to_string(),
                        end,
                        Some(element_id),
                        String::new(),
                        entry.first,
                    );
                    self.scope().insert(
                        i.to_string(),
                        Binding {
                            tensor: out,
                            entry: Some(element_id),
                            inner: element_inner,
                            block: matches!(element, Item::Block(_)),
                            item: Some(element_id),
                        },
                    );
                    previous = out;
                }
                inner = Some(self.take_scope());
            }
            Item::Residual { body, shortcut } => {
                if named {
                    self.scopes.push(HashMap::new());
                }
                self.body(body, input, true);
                if let Some(shortcut) = shortcut {
                    self.body(shortcut, input, true);
                }
                if named {
                    inner = Some(self.take_scope());
                }
            }
            Item::Parallel { branches, .. } => {
                if named {
                    self.scopes.push(HashMap::new());
                }
                let repeated = branches.entries.len() == 1
                    && matches!(branches.entries[0].item, Item::Repeat { .. });
                if repeated {
                    self.boundary(BoundaryKind::Repeat, id);
                }
                for branch in &branches.entries {
                    self.entry(branch, input, true);
                }
                if repeated {
                    self.chain.pop();
                }
                if named {
                    inner = Some(self.take_scope());
                }
            }
            other => self.item(other, input, id),
        }
        let end = self.tick();
        self.times.insert(id, (start, end));
        if flags != 0 {
            self.entry_flags.insert(id, flags);
        }
        let name = entry_name.clone().unwrap_or_default();
        let out = self.tensor(name, end, Some(id), String::new(), entry.first);
        if entry.modes.train_only.is_some() {
            self.tensors[out].train_only = true;
        }
        if let Some(name) = entry_name {
            let binding = Binding {
                tensor: out,
                entry: Some(id),
                inner,
                block,
                item: Some(key(&entry.item)),
            };
            self.scope().insert(name, binding);
        } else if let Some(inner) = inner {
            // Unnamed: its names belong to the enclosing scope.
            self.scope().extend(inner);
        }
        if entry.modes.train_only.is_some() {
            previous
        } else {
            out
        }
    }

    /// The items that hold no entries of their own kind: repeats, tuples, conditions.
    fn item(&mut self, item: &Item, input: TensorId, entry: usize) {
        match item {
            Item::Repeat { item, .. } | Item::Spread(item) => {
                self.boundary(BoundaryKind::Repeat, entry);
                self.scopes.push(HashMap::new());
                if let Item::Block(ty) = item.as_ref() {
                    if let Some(target) = self.module(ty) {
                        self.reuse.insert(key(item.as_ref()), target);
                        *self.entry_flags.entry(entry).or_default() |= SHARED;
                    }
                }
                self.item(item, input, entry);
                self.scopes.pop();
                self.chain.pop();
            }
            Item::Tuple(items) => {
                self.scopes.push(HashMap::new());
                for item in items {
                    self.item(item, input, entry);
                }
                self.scopes.pop();
            }
            Item::If {
                then, otherwise, ..
            } => {
                self.boundary(BoundaryKind::Condition, entry);
                self.body(then, input, false);
                self.scopes.pop();
                if let Some(otherwise) = otherwise {
                    self.scopes.push(HashMap::new());
                    self.item(otherwise, input, entry);
                    self.scopes.pop();
                }
                self.chain.pop();
            }
            Item::Seq(body) => {
                self.body(body, input, false);
                self.scopes.pop();
            }
            Item::Residual { body, shortcut } => {
                self.body(body, input, false);
                self.scopes.pop();
                if let Some(shortcut) = shortcut {
                    self.body(shortcut, input, false);
                    self.scopes.pop();
                }
            }
            Item::Parallel { branches, .. } => {
                self.scopes.push(HashMap::new());
                for branch in &branches.entries {
                    self.entry(branch, input, true);
                }
                self.scopes.pop();
            }
            Item::Layer(_) | Item::Block(_) | Item::Join { .. } | Item::Moe(_) => {}
        }
    }

    fn boundary(&mut self, kind: BoundaryKind, anchor: usize) {
        self.boundaries.push(Boundary { kind, anchor });
        self.chain.push(self.boundaries.len() - 1);
    }

    fn read(&mut self, tensor: TensorId, entry: usize, read: Option<usize>) {
        let chain = self.chain.clone();
        self.tensors[tensor]
            .readers
            .push(Reader { entry, read, chain });
        if read.is_some() {
            self.tensors[tensor].named = true;
        }
    }

    /// The earlier entry whose module `ty` names, if it is a plain name of one (`h4: p4 -> h3`).
    fn module(&self, ty: &Type) -> Option<usize> {
        let Type::Path(path) = ty else { return None };
        if path.qself.is_some() {
            return None;
        }
        let ident = path.path.get_ident()?;
        let name = ident.to_string();
        for scope in self.scopes.iter().rev() {
            if let Some(binding) = scope.get(&name) {
                return binding.item;
            }
        }
        None
    }

    /// The tensor `reference` names, or `None` with the error reported.
    pub(super) fn resolve(&mut self, reference: &TensorRef) -> Option<TensorId> {
        let (first, span) = reference.parts.first()?;
        let mut binding = None;
        for scope in self.scopes.iter().rev() {
            if let Some(found) = scope.get(first) {
                binding = Some(found.clone());
                break;
            }
        }
        let Some(mut binding) = binding else {
            let message = if self.all_names.contains(first) {
                format!("`{first}` is not computed before this entry: an entry reads only tensors computed before it (so the graph has no cycles), and names inside a repeat or an `if` are not visible outside it\nhelp: move this entry after `{first}`")
            } else {
                let mut visible: Vec<String> =
                    self.scopes.iter().flat_map(|s| s.keys().cloned()).collect();
                // Suggestions must not depend on hash order.
                visible.sort();
                let candidates: Vec<&str> = visible.iter().map(String::as_str).collect();
                match did_you_mean(first, &candidates) {
                    Some(near) => format!("no tensor named `{first}` here\nhelp: did you mean `{}`?", spelled(near)),
                    None => format!("no tensor named `{first}` here\nhelp: a tensor is an input of the declaration or an earlier entry, by its name (`lat4`), a name inside an earlier group (`backbone.layer2`) or a named output of an earlier block (`fpn.p3`)"),
                }
            };
            self.errors.at(*span, message);
            return None;
        };
        let mut path = first.clone();
        for (part, part_span) in &reference.parts[1..] {
            if let Some(inner) = binding.inner.as_ref().and_then(|inner| inner.get(part)) {
                binding = inner.clone();
            } else if let (true, Some(entry)) = (binding.block, binding.entry) {
                // A named output of a block: checked against its outputs when evaluated.
                let field = (entry, part.clone());
                let tensor = match self.fields.get(&field) {
                    Some(&t) => t,
                    None => {
                        let ready = self.tensors[binding.tensor].ready;
                        let t = self.tensor(
                            format!("{path}.{part}"),
                            ready,
                            Some(entry),
                            part.clone(),
                            *part_span,
                        );
                        self.tensors[t].chain = self.tensors[binding.tensor].chain.clone();
                        self.fields.insert(field, t);
                        t
                    }
                };
                binding = Binding {
                    tensor,
                    entry: None,
                    inner: None,
                    block: false,
                    item: None,
                };
            } else {
                let message = match &binding.inner {
                    Some(inner) => {
                        let mut names: Vec<&str> = inner.keys().map(String::as_str).collect();
                        names.sort_unstable();
                        match did_you_mean(part, &names) {
                            Some(near) => format!("`{path}` has no `{part}`\nhelp: did you mean `{path}.{near}`?"),
                            None => format!("`{path}` has no `{part}`"),
                        }
                    }
                    None => format!("`{path}` has no named parts: `.{part}` reads a name inside a group (`backbone.layer2`) or an output of a block (`fpn.p3`)"),
                };
                self.errors.at(*part_span, message);
                return None;
            }
            path = format!("{path}.{part}");
        }
        Some(binding.tensor)
    }
}

/// A tensor's name as it is written in a declaration: a string in quotes when no identifier or
/// number can spell it (`"block1-0"`).
fn spelled(name: &str) -> String {
    let plain = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if plain {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}
