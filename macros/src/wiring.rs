//! Named tensors: resolves every name an entry reads (`lat4`, `backbone.layer2`, `fpn.p3`) to
//! the tensor it means, and plans what the evaluator needs to stay one pass: which tensors are
//! kept in slots (and which slot, reused once free), what each entry reads, keeps and releases,
//! and each tensor's last reader, where it is freed.
//!
//! Time runs with the entries in execution order: an entry *starts*, its nested entries run,
//! then it *ends*; a tensor exists from its entry's end. A read inside a repeat happens once per
//! copy, and a read inside an `if` may not happen: such a tensor is freed after the entry that
//! holds the repeat or the condition, never taken over by a reader.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use syn::Type;

use crate::ast::{Body, Decl, Entry, Item, TensorRef};
use crate::ctxt::{did_you_mean, Errors};

/// The `Wiring` flags of nncost-core, as emitted.
pub const TRAIN_ONLY: u8 = 1;
pub const FROZEN: u8 = 2;
pub const SHARED: u8 = 4;
pub const SHARED_AFTER_FIRST: u8 = 8;

/// Where a declaration's output is: a slot, or the last entry's output.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OutputAt {
    Slot(u16),
    Last,
}

/// What an entry reads, keeps and releases, and how it counts.
#[derive(Default, Clone)]
pub struct EntryPlan {
    /// Slots read, with whether it is the tensor's last read.
    pub reads: Vec<(u16, bool)>,
    /// Slots its output (or a named output of its block) is kept in.
    pub keeps: Vec<(u16, String)>,
    /// Slots released after it.
    pub frees: Vec<u16>,
    /// `Wiring` flags.
    pub flags: u8,
}

/// The plan of one declaration.
#[derive(Default)]
pub struct Plan {
    /// Whether it needs the named-tensor form (a `Graph` node).
    pub graph: bool,
    /// Input names (`input` for the plain form).
    pub inputs: Vec<String>,
    /// Outputs: name and place.
    pub outputs: Vec<(String, OutputAt)>,
    /// Slots used, inputs included.
    pub slots: u16,
    /// Per entry (keyed by address).
    pub entries: HashMap<usize, EntryPlan>,
    /// Items that apply an earlier entry's module again (keyed by address): that entry's item.
    pub reuse: HashMap<usize, usize>,
}

impl Plan {
    /// The entry's plan (empty for an entry with nothing special).
    pub fn entry(&self, entry: &Entry) -> EntryPlan {
        self.entries.get(&key(entry)).cloned().unwrap_or_default()
    }
}

/// An address as a map key.
pub fn key<T>(value: &T) -> usize {
    value as *const T as usize
}

type TensorId = usize;

struct Tensor {
    /// When it exists (its entry's end); 0 for inputs.
    ready: u32,
    /// The entry that computes it (none for inputs).
    entry: Option<usize>,
    /// A named output of that entry's block (`fpn.p3`), else empty.
    output: String,
    /// Boundaries (repeats, branches, conditions) around its entry.
    chain: Vec<usize>,
    readers: Vec<Reader>,
    /// Read by name (so kept in a slot).
    named: bool,
    /// A declaration output: never freed.
    pinned: bool,
    /// The output of a train-only entry, which does not exist in inference.
    train_only: bool,
    /// Where the name was declared, for "unused input".
    span: Span,
}

#[derive(Clone)]
struct Reader {
    entry: usize,
    /// Index in the entry's explicit reads, or `None` for an implicit read.
    read: Option<usize>,
    chain: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BoundaryKind {
    /// Copies of a repeat or of repeated branches: reads happen again and again.
    Repeat,
    /// A condition: reads may not happen.
    Condition,
}

struct Boundary {
    kind: BoundaryKind,
    /// The entry holding the repeat or condition.
    anchor: usize,
}

#[derive(Clone)]
struct Binding {
    tensor: TensorId,
    entry: Option<usize>,
    /// Names inside the entry's inline group (`backbone.layer2`).
    inner: Option<HashMap<String, Binding>>,
    /// Its item is a type, which may have named outputs (`fpn.p3`).
    block: bool,
    /// Its item, for applying the module again.
    item: Option<usize>,
}

struct Resolver<'e> {
    clock: u32,
    tensors: Vec<Tensor>,
    scopes: Vec<HashMap<String, Binding>>,
    chain: Vec<usize>,
    boundaries: Vec<Boundary>,
    times: HashMap<usize, (u32, u32)>,
    /// Explicit reads of each entry, in order.
    reads: HashMap<usize, Vec<TensorId>>,
    /// Named outputs of block entries read by name: (entry, output) → tensor.
    fields: HashMap<(usize, String), TensorId>,
    /// Every entry name of the declaration (to tell "later" from "unknown").
    all_names: HashSet<String>,
    entry_flags: HashMap<usize, u8>,
    reuse: HashMap<usize, usize>,
    /// Slots given to tensors (filled by [`Resolver::allocate`]).
    slots: HashMap<TensorId, u16>,
    errors: &'e mut Errors,
}

/// Plans `decl`'s named tensors, reporting unknown or later names, unused inputs and misplaced
/// modes in `errors`.
pub fn plan(decl: &Decl, body: &Body, errors: &mut Errors) -> Plan {
    let mut all_names = HashSet::new();
    collect_names(body, &mut all_names);
    let mut resolver = Resolver {
        clock: 0,
        tensors: Vec::new(),
        scopes: vec![HashMap::new()],
        chain: Vec::new(),
        boundaries: Vec::new(),
        times: HashMap::new(),
        reads: HashMap::new(),
        fields: HashMap::new(),
        all_names,
        entry_flags: HashMap::new(),
        reuse: HashMap::new(),
        slots: HashMap::new(),
        errors,
    };
    let inputs: Vec<(String, Span)> = match &decl.signature.inputs {
        Some(list) => list
            .iter()
            .map(|i| (i.name.to_string(), i.name.span()))
            .collect(),
        None => vec![("input".to_owned(), decl.name.span())],
    };
    let mut input_ids = Vec::new();
    for (name, span) in &inputs {
        let id = resolver.tensor(name.clone(), 0, None, String::new(), *span);
        if resolver.scopes[0].contains_key(name) {
            resolver
                .errors
                .at(*span, format!("duplicate input `{name}`"));
        }
        {
            resolver.scopes[0].insert(
                name.clone(),
                Binding {
                    tensor: id,
                    entry: None,
                    inner: None,
                    block: false,
                    item: None,
                },
            );
        }
        input_ids.push(id);
    }
    let last = resolver.body(body, input_ids[0], true);
    // Outputs.
    let mut outputs = Vec::new();
    match &decl.signature.outputs {
        Some(list) => {
            let mut seen = HashSet::new();
            for output in list {
                let name = output.name();
                if !seen.insert(name.clone()) {
                    resolver
                        .errors
                        .at(output.tensor.span(), format!("duplicate output `{name}`"));
                }
                let Some(id) = resolver.resolve(&output.tensor) else {
                    continue;
                };
                if resolver.tensors[id].train_only {
                    resolver.errors.at(
                        output.tensor.span(),
                        format!("`{}` runs only in training and has no output in inference: it cannot be an output", output.tensor.text()),
                    );
                }
                resolver.tensors[id].pinned = true;
                if id == last {
                    outputs.push((name, None));
                } else {
                    resolver.tensors[id].named = true;
                    outputs.push((name, Some(id)));
                }
            }
        }
        None => outputs.push(("output".to_owned(), None)),
    }
    // Unused inputs.
    for (i, &id) in input_ids.iter().enumerate() {
        let tensor = &resolver.tensors[id];
        let used = !tensor.readers.is_empty() || outputs.iter().any(|o| o.1 == Some(id));
        if !used && decl.signature.inputs.is_some() {
            let help = if i == 0 {
                "the first entry reads the first input unless it names another: read it, as in `stem: image -> Conv2d::new(64, 7)`, or remove it".to_owned()
            } else {
                format!(
                    "read it by name, as in `fused: add(x, {0})`, or remove it",
                    inputs[i].0
                )
            };
            resolver.errors.at(
                tensor.span,
                format!("input `{}` is never read\nhelp: {help}", inputs[i].0),
            );
        }
    }
    let any_named = resolver.tensors.iter().any(|t| t.named);
    let graph = decl.signature.inputs.is_some() || decl.signature.outputs.is_some() || any_named;
    let mut plan = Plan {
        graph,
        inputs: inputs.iter().map(|i| i.0.clone()).collect(),
        ..Plan::default()
    };
    for (entry, flags) in &resolver.entry_flags {
        plan.entries.entry(*entry).or_default().flags |= flags;
    }
    plan.reuse = std::mem::take(&mut resolver.reuse);
    if !graph {
        plan.slots = 0;
        plan.outputs = vec![("output".to_owned(), OutputAt::Last)];
        return plan;
    }
    resolver.allocate(&mut plan, &input_ids);
    plan.outputs = outputs
        .into_iter()
        .map(|(name, id)| match id {
            None => (name, OutputAt::Last),
            Some(id) => (
                name,
                OutputAt::Slot(resolver.slots.get(&id).copied().unwrap_or(0)),
            ),
        })
        .collect();
    plan
}

/// Every entry name in `body`, at any depth.
fn collect_names(body: &Body, names: &mut HashSet<String>) {
    for entry in &body.entries {
        if let Some(name) = &entry.name {
            names.insert(name.to_string());
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
        Item::Layer(_) | Item::Block(_) | Item::Join { .. } => {}
    }
}

impl Resolver<'_> {
    fn tick(&mut self) -> u32 {
        self.clock += 1;
        self.clock
    }

    fn tensor(
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
    fn body(&mut self, body: &Body, input: TensorId, transparent: bool) -> TensorId {
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
        if explicit.is_empty() {
            self.read(previous, id, None);
        } else {
            for (i, &tensor) in explicit.iter().enumerate() {
                self.read(tensor, id, Some(i));
            }
            self.reads.insert(id, explicit.clone());
        }
        // Its item.
        let named = entry.name.is_some();
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
        let name = entry
            .name
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let out = self.tensor(name.clone(), end, Some(id), String::new(), entry.first);
        if entry.modes.train_only.is_some() {
            self.tensors[out].train_only = true;
        }
        if let Some(ident) = &entry.name {
            let binding = Binding {
                tensor: out,
                entry: Some(id),
                inner,
                block,
                item: Some(key(&entry.item)),
            };
            self.scope().insert(ident.to_string(), binding);
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
            Item::Layer(_) | Item::Block(_) | Item::Join { .. } => {}
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
    fn resolve(&mut self, reference: &TensorRef) -> Option<TensorId> {
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
                let visible: Vec<String> =
                    self.scopes.iter().flat_map(|s| s.keys().cloned()).collect();
                let candidates: Vec<&str> = visible.iter().map(String::as_str).collect();
                match did_you_mean(first, &candidates) {
                    Some(near) => format!("no tensor named `{first}` here\nhelp: did you mean `{near}`?"),
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
                        let names: Vec<&str> = inner.keys().map(String::as_str).collect();
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

    /// Gives every tensor read by name a slot (inputs first, `0..`), freeing slots after each
    /// tensor's last reader, and fills in each entry's reads, keeps and frees.
    fn allocate(&mut self, plan: &mut Plan, inputs: &[TensorId]) {
        // When each tensor is released: after its anchor entry ends (never, if pinned).
        let mut release: HashMap<TensorId, (u32, Option<usize>)> = HashMap::new();
        for (id, tensor) in self.tensors.iter().enumerate() {
            let slotted = tensor.named || inputs.contains(&id);
            if !slotted || tensor.pinned {
                release.insert(id, (u32::MAX, None));
                continue;
            }
            let mut last: Option<(u32, &Reader)> = None;
            for reader in &tensor.readers {
                let (anchor, _) = self.anchor(tensor, reader);
                let end = self.times.get(&anchor).map_or(0, |t| t.1);
                if last.is_none_or(|(e, _)| end >= e) {
                    last = Some((end, reader));
                }
            }
            match last {
                Some((end, reader)) => {
                    let (anchor, _) = self.anchor(tensor, reader);
                    release.insert(id, (end, Some(anchor)));
                }
                // Never read (a kept output of a block nobody reads): released at once.
                None => {
                    let end = tensor
                        .entry
                        .and_then(|e| self.times.get(&e))
                        .map_or(0, |t| t.1);
                    release.insert(id, (end, tensor.entry));
                }
            }
        }
        // Slots: inputs first, then kept tensors in the order they appear, reusing a slot
        // whose tensor was released before.
        let mut slot_of: HashMap<TensorId, u16> = HashMap::new();
        let mut free_at: Vec<u32> = Vec::new();
        for &id in inputs {
            slot_of.insert(id, free_at.len() as u16);
            free_at.push(release[&id].0);
        }
        let mut kept: Vec<TensorId> = (0..self.tensors.len())
            .filter(|id| self.tensors[*id].named && !inputs.contains(id))
            .collect();
        kept.sort_by_key(|&id| self.tensors[id].ready);
        for id in kept {
            let ready = self.tensors[id].ready;
            let reuse = (0..free_at.len()).find(|&s| free_at[s] < ready);
            let slot = match reuse {
                Some(s) => s,
                None => {
                    free_at.push(0);
                    free_at.len() - 1
                }
            };
            free_at[slot] = release[&id].0;
            slot_of.insert(id, slot as u16);
            let tensor = &self.tensors[id];
            if let Some(entry) = tensor.entry {
                plan.entries
                    .entry(entry)
                    .or_default()
                    .keeps
                    .push((slot as u16, tensor.output.clone()));
            }
        }
        plan.slots = free_at.len() as u16;
        // Reads, with the last one marked; frees at the anchors.
        for (entry, tensors) in &self.reads {
            let reads = tensors
                .iter()
                .enumerate()
                .map(|(i, &t)| {
                    let slot = slot_of.get(&t).copied().unwrap_or(0);
                    (slot, self.is_last_read(t, *entry, i, &release))
                })
                .collect();
            plan.entries.entry(*entry).or_default().reads = reads;
        }
        for (&id, &(_, anchor)) in &release {
            if let (Some(anchor), Some(&slot)) = (anchor, slot_of.get(&id)) {
                plan.entries.entry(anchor).or_default().frees.push(slot);
            }
        }
        for entry in plan.entries.values_mut() {
            entry.frees.sort_unstable();
            entry.frees.dedup();
        }
        self.slots = slot_of;
    }

    /// Where a read's tensor can be freed: the reader, or the entry holding the outermost
    /// repeat or condition between the tensor and the reader; and whether the read may take
    /// the tensor over (no repeat in between).
    fn anchor(&self, tensor: &Tensor, reader: &Reader) -> (usize, bool) {
        let common = tensor
            .chain
            .iter()
            .zip(&reader.chain)
            .take_while(|(a, b)| a == b)
            .count();
        let crossed = &reader.chain[common..];
        match crossed.first() {
            None => (reader.entry, true),
            Some(&outer) => {
                let repeats = crossed
                    .iter()
                    .any(|&b| self.boundaries[b].kind == BoundaryKind::Repeat);
                (self.boundaries[outer].anchor, !repeats)
            }
        }
    }

    /// Whether the `i`-th explicit read of `entry` is `tensor`'s last read, so that the reader
    /// may take the buffer over: the tensor is released at this entry, no read starts later
    /// (nested entries start after it), and no repeat lies in between.
    fn is_last_read(
        &self,
        tensor: TensorId,
        entry: usize,
        i: usize,
        release: &HashMap<TensorId, (u32, Option<usize>)>,
    ) -> bool {
        let t = &self.tensors[tensor];
        if t.pinned || release.get(&tensor).and_then(|r| r.1) != Some(entry) {
            return false;
        }
        let start = |e: usize| self.times.get(&e).map_or(0, |t| t.0);
        let mut this = None;
        for reader in &t.readers {
            if reader.entry == entry {
                match reader.read {
                    Some(r) if r == i => this = Some(reader),
                    Some(r) if r > i => return false,
                    None => return false,
                    _ => {}
                }
            } else if start(reader.entry) > start(entry) {
                return false;
            }
        }
        match this {
            Some(reader) => self.anchor(t, reader) == (entry, true),
            None => false,
        }
    }
}
