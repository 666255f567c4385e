//! GPT-2 small (Hugging Face's `GPT2LMHeadModel`) at 128 tokens: every layer's cost, computed at
//! compile time, with the LM head tied to the token embedding.
//!
//! ```sh
//! cargo run --example gpt2 --features zoo
//! ```
use nncost::zoo::{Gpt2, Gpt2LmHead};

/// The sequence length the table is computed for.
const SEQ: u64 = 128;

// The reference figures (Hugging Face `GPT2Model` / `GPT2LMHeadModel`, batch 1, 128 tokens).
nncost::const_assert!(Gpt2::<SEQ>::PARAMS == 124_439_808);
nncost::const_assert!(Gpt2LmHead::<SEQ>::MACS == 16_114_089_984);
nncost::assert_budget!(Gpt2LmHead<SEQ>: params <= 125M, macs <= 16.2G);

/// `11,173,625,856`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn main() {
    println!("{}", Gpt2LmHead::<SEQ>::summary());
    println!(
        "without the LM head (GPT2Model): {} params, {} MACs; the tied head adds {} MACs and no parameters",
        grouped(Gpt2::<SEQ>::PARAMS),
        grouped(Gpt2::<SEQ>::MACS),
        grouped(Gpt2LmHead::<SEQ>::MACS - Gpt2::<SEQ>::MACS),
    );
}
