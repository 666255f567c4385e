//! Slots: which slot each named tensor lives in (reused once a tensor is released), what each
//! entry reads, keeps and releases, and which read is a tensor's last.

use std::collections::HashMap;

use super::{BoundaryKind, Plan, Reader, Resolver, Tensor, TensorId};

impl Resolver<'_> {
    /// Gives every tensor read by name a slot (inputs first, `0..`), freeing slots after each
    /// tensor's last reader, and fills in each entry's reads, keeps and frees.
    pub(super) fn allocate(&mut self, plan: &mut Plan, inputs: &[TensorId]) {
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
