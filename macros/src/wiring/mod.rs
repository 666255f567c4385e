//! Named tensors: resolves every name an entry reads (`lat4`, `backbone.layer2`, `fpn.p3`) to
//! the tensor it means, and plans what the evaluator needs to stay one pass: which tensors are
//! kept in slots (and which slot, reused once free), what each entry reads, keeps and releases,
//! and each tensor's last reader, where it is freed.
//!
//! Time runs with the entries in execution order: an entry *starts*, its nested entries run,
//! then it *ends*; a tensor exists from its entry's end. A read inside a repeat happens once per
//! copy, and a read inside an `if` may not happen: such a tensor is freed after the entry that
//! holds the repeat or the condition, never taken over by a reader.

mod resolve;
mod slots;

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;

use crate::ast::{Body, Decl};
use crate::ctxt::Errors;
use resolve::collect_names;

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
    /// The plan of the entry keyed `key` (a tuple's element is keyed by its item).
    pub fn at(&self, key: usize) -> EntryPlan {
        self.entries.get(&key).cloned().unwrap_or_default()
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
