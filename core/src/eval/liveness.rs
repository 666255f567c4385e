//! Liveness: which activation tensors are alive, and who frees each one.
//!
//! The execution model is described at [`Memory`](crate::Memory). Every buffer alive has one
//! owner, which frees it after its last use:
//! - A tensor handed to a node ([`Value`]) is *owned* (the node frees it after its last use),
//!   *borrowed* (an enclosing residual or parallel node still needs it), or belongs to a *slot*.
//! - A node whose output is its input's buffer (an identity, a view) hands it back as an *alias*
//!   ([`Done::alias`]); freeing it stays with whoever owned the input.
//! - Named tensors live in *slots* ([`Slots`]): a kept entry's output, a declaration's inputs.
//!   A slot that holds a buffer of its own *owns* it; a slot that holds a view of another slot's
//!   buffer *refers* to that owner. An owner counts its references and frees the buffer when the
//!   last one is released, which the macro places after each tensor's last reader.

use crate::cost::Cost;
use crate::eval::rows::Outcome;
use crate::memory::Memory;
use crate::node::Read;
use crate::shape::Shape;

/// No slot: the buffer is not held by a slot.
pub(crate) const NO_SLOT: u16 = u16::MAX;

/// Most named tensors alive at once across the nested declarations being evaluated.
pub(crate) const MAX_SLOTS: usize = 512;

/// A tensor handed to a node.
#[derive(Clone, Copy)]
pub(crate) struct Value {
    pub shape: Shape,
    /// Bytes of its elements: what a reader reads.
    pub bytes: u64,
    /// Bytes of the buffer it lives in (more than `bytes` for a view of part of a tensor).
    pub buffer: u64,
    /// Whether the node frees the buffer after its last use (else someone else does).
    pub owned: bool,
    /// The slot that owns the buffer ([`NO_SLOT`]: none; then `owned` says who frees it).
    pub slot: u16,
    /// Whether it is laid out channels first (see [`crate::layout`]).
    pub channels_first: bool,
}

impl Value {
    pub const EMPTY: Value = Value {
        shape: Shape::SCALAR,
        bytes: 0,
        buffer: 0,
        owned: false,
        slot: NO_SLOT,
        channels_first: false,
    };

    /// The same tensor, handed on with ownership `owned` (only a tensor no slot holds can be
    /// owned).
    pub const fn with_owned(self, owned: bool) -> Value {
        Value {
            owned: owned && self.slot == NO_SLOT,
            ..self
        }
    }
}

/// A finished node, as its parent sees it.
#[derive(Clone, Copy)]
pub(crate) struct Done {
    pub out: Outcome,
    /// Bytes of the output's elements.
    pub bytes: u64,
    /// Bytes of the buffer the output lives in.
    pub buffer: u64,
    /// The output lives in the node's input buffer (an identity, views only): nothing was
    /// allocated, and freeing that buffer is still up to whoever owned the input.
    pub alias: bool,
    /// The output lives in a buffer a slot owns (a view of a named tensor): not the parent's
    /// to free. [`NO_SLOT`] otherwise.
    pub slot: u16,
    /// Whether the output is laid out channels first (see [`crate::layout`]).
    pub channels_first: bool,
}

impl Done {
    /// The input passed through unchanged.
    pub const fn identity(x: &Value) -> Done {
        Done {
            out: Outcome {
                shape: x.shape,
                cost: Cost::ZERO,
                memory: Memory::ZERO,
            },
            bytes: x.bytes,
            buffer: x.buffer,
            alias: true,
            slot: NO_SLOT,
            channels_first: x.channels_first,
        }
    }

    /// Whether the parent frees this output's buffer when it is done with it (a new tensor
    /// neither aliasing the input nor held by a slot).
    pub const fn fresh(&self) -> bool {
        !self.alias && self.slot == NO_SLOT
    }

    /// The result of a node that was given `x` from a slot or another source than its parent's
    /// input: an alias of `x` becomes a tensor of `x`'s owner (its slot, or the parent when `x`
    /// was handed over owned).
    pub const fn detached(mut self, x: &Value) -> Done {
        if self.alias {
            self.alias = false;
            self.slot = x.slot;
            self.buffer = x.buffer;
        }
        self
    }

    /// This result's output, handed to a reader that does not own it (a train-only head, a
    /// slot's reader).
    pub const fn value(&self, input: &Value) -> Value {
        if self.slot != NO_SLOT {
            return Value {
                shape: self.out.shape,
                bytes: self.bytes,
                buffer: self.buffer,
                owned: false,
                slot: self.slot,
                channels_first: self.channels_first,
            };
        }
        if self.alias {
            return Value {
                shape: self.out.shape,
                bytes: self.bytes,
                buffer: self.buffer,
                owned: input.owned,
                slot: input.slot,
                channels_first: self.channels_first,
            };
        }
        Value {
            shape: self.out.shape,
            bytes: self.bytes,
            buffer: self.buffer,
            owned: true,
            slot: NO_SLOT,
            channels_first: self.channels_first,
        }
    }
}

/// `next` run after `acc`: costs and memory add up, the output is `next`'s (still the input's
/// buffer only if both are).
pub(crate) const fn then(acc: &Done, next: &Done) -> Result<Done, &'static str> {
    let cost = match acc.out.cost.checked_add(&next.out.cost) {
        Ok(cost) => cost,
        Err(what) => return Err(what),
    };
    let memory = match acc.out.memory.then(&next.out.memory) {
        Ok(memory) => memory,
        Err(what) => return Err(what),
    };
    Ok(Done {
        out: Outcome {
            shape: next.out.shape,
            cost,
            memory,
        },
        bytes: next.bytes,
        buffer: if next.alias { acc.buffer } else { next.buffer },
        alias: next.alias && acc.alias,
        slot: if next.alias { acc.slot } else { next.slot },
        channels_first: next.channels_first,
    })
}

/// `side` run beside `acc` without replacing its output (a train-only head): costs and memory
/// add up, the output stays `acc`'s.
pub(crate) const fn beside(acc: &Done, side: &Done) -> Result<Done, &'static str> {
    let cost = match acc.out.cost.checked_add(&side.out.cost) {
        Ok(cost) => cost,
        Err(what) => return Err(what),
    };
    let memory = match acc.out.memory.then(&side.out.memory) {
        Ok(memory) => memory,
        Err(what) => return Err(what),
    };
    Ok(Done {
        out: Outcome {
            shape: acc.out.shape,
            cost,
            memory,
        },
        ..*acc
    })
}

/// A slot: a named tensor of a declaration being evaluated.
#[derive(Clone, Copy)]
pub(crate) struct Slot {
    pub shape: Shape,
    pub bytes: u64,
    pub buffer: u64,
    /// The slot owning the buffer (itself when it owns it); [`NO_SLOT`] for a tensor that
    /// belongs to no slot and that no slot may free (borrowed from an enclosing node); [`DEAD`]
    /// once released.
    pub owner: u16,
    /// On an owner: references to its buffer still alive (itself included).
    pub refs: u16,
    /// Whether the tensor is laid out channels first.
    pub channels_first: bool,
}

/// A released slot.
pub(crate) const DEAD: u16 = u16::MAX - 1;

impl Slot {
    pub const EMPTY: Slot = Slot {
        shape: Shape::SCALAR,
        bytes: 0,
        buffer: 0,
        owner: DEAD,
        refs: 0,
        channels_first: false,
    };
}

/// The slots of every declaration being evaluated, a stack: a declaration's slots start at its
/// `base` and are given back when it finishes.
pub(crate) struct Slots {
    pub table: [Slot; MAX_SLOTS],
    /// The first slot not in use.
    pub top: usize,
    /// The first slot of the innermost declaration being evaluated.
    pub base: usize,
}

impl Slots {
    pub const fn new() -> Slots {
        Slots {
            table: [Slot::EMPTY; MAX_SLOTS],
            top: 0,
            base: 0,
        }
    }

    /// Puts `value` in slot `index`: the slot takes the buffer over if `value` is owned, refers
    /// to its owner if a slot holds it, and holds it borrowed otherwise. Returns whether it took
    /// the buffer over (then nobody else may free it).
    pub const fn bind(&mut self, index: usize, value: &Value) -> bool {
        let (owner, took) = if value.slot != NO_SLOT {
            self.table[value.slot as usize].refs += 1;
            (value.slot, false)
        } else if value.owned {
            (index as u16, true)
        } else {
            (NO_SLOT, false)
        };
        self.table[index] = Slot {
            shape: value.shape,
            bytes: value.bytes,
            buffer: value.buffer,
            owner,
            refs: if took { 1 } else { 0 },
            channels_first: value.channels_first,
        };
        took
    }

    /// The tensor in slot `base + read.slot`, for a reader. With `take`, the read is the
    /// tensor's last and the slot is the buffer's only holder: the reader gets it owned (and
    /// frees it as soon as it is done, like a sequence's next layer).
    pub const fn read(&mut self, read: &Read, take: bool) -> Value {
        let index = self.base + read.slot as usize;
        let slot = self.table[index];
        if take && read.last && slot.owner == index as u16 && slot.refs == 1 {
            self.table[index].owner = DEAD;
            self.table[index].refs = 0;
            return Value {
                shape: slot.shape,
                bytes: slot.bytes,
                buffer: slot.buffer,
                owned: true,
                slot: NO_SLOT,
                channels_first: slot.channels_first,
            };
        }
        let owner = if slot.owner == DEAD {
            NO_SLOT
        } else {
            slot.owner
        };
        Value {
            shape: slot.shape,
            bytes: slot.bytes,
            buffer: slot.buffer,
            owned: false,
            slot: owner,
            channels_first: slot.channels_first,
        }
    }

    /// Releases slot `index`; returns the bytes freed (its buffer, when this was the owner's
    /// last reference).
    pub const fn release(&mut self, index: usize) -> u64 {
        let owner = self.table[index].owner;
        self.table[index].owner = DEAD;
        if owner == DEAD || owner == NO_SLOT {
            return 0;
        }
        let o = owner as usize;
        if self.table[o].refs > 0 {
            self.table[o].refs -= 1;
            if self.table[o].refs == 0 {
                return self.table[o].buffer;
            }
        }
        0
    }

    /// Hands the tensor in slot `index` over to a reader that takes it away (a declaration's
    /// output, as its slots at `base..` are given back): when this was the last reference to a
    /// buffer of the declaration's own, the reader gets it owned; a tensor of a caller's slot
    /// stays that slot's.
    pub const fn hand_over(&mut self, index: usize, base: usize) -> Value {
        let slot = self.table[index];
        self.table[index].owner = DEAD;
        let mut value = Value {
            shape: slot.shape,
            bytes: slot.bytes,
            buffer: slot.buffer,
            owned: false,
            slot: NO_SLOT,
            channels_first: slot.channels_first,
        };
        let owner = slot.owner;
        if owner == DEAD || owner == NO_SLOT {
            return value;
        }
        let o = owner as usize;
        if o < base {
            value.slot = owner;
            return value;
        }
        value.buffer = self.table[o].buffer;
        if self.table[o].refs > 0 {
            self.table[o].refs -= 1;
            value.owned = self.table[o].refs == 0;
        }
        value
    }
}
