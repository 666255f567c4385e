//! A BERT-style encoder with two inputs, as Hugging Face's `BertModel` writes its embeddings
//! and first layer: `input_ids` and `token_type_ids` each looked up in their own table and
//! summed with the position embedding (looked up with the `position_ids` buffer), normalised,
//! then one post-norm encoder layer. Every number is worked out by hand in the tests (f32:
//! 4 bytes a value).

use nncost::prelude::*;

/// Sequence length, hidden size, heads, intermediate size, vocabulary.
const L: u64 = 8;
const D: u64 = 16;
const H: u64 = 2;
const F: u64 = 64;
const VOCAB: u64 = 100;

network! {
    /// `BertEmbeddings`: `word_embeddings(input_ids) + token_type_embeddings(token_type_ids)`,
    /// then `+= position_embeddings(position_ids)`, then `LayerNorm` (and dropout, the identity
    /// in eval). `position_ids` and the default `token_type_ids` are int64 buffers of
    /// `max_position_embeddings` (here `L`) entries; the default is unused when the ids are
    /// given, but it is a buffer all the same.
    pub block BertEmbeddings(input_ids, token_type_ids) {
        position_ids: Buffer::new(&[1, L]).integer(),
        buffered_token_type_ids: Buffer::new(&[1, L]).integer(),
        word_embeddings: input_ids -> Embedding::new(VOCAB, D),
        token_type_embeddings: token_type_ids -> Embedding::new(2, D),
        embeddings: add(word_embeddings, token_type_embeddings),
        position_embeddings: position_ids -> Embedding::new(L, D),
        with_positions: add(embeddings, position_embeddings),
        layer_norm: LayerNorm::new(D),
    }

    /// `BertLayer`, post-norm: `LayerNorm(x + attention(x))`, then
    /// `LayerNorm(x + output(gelu(intermediate(x))))`.
    pub block BertLayer {
        residual {
            attention: MultiheadAttention::new(D, H),
        },
        attention_norm: LayerNorm::new(D),
        residual {
            intermediate: Linear::new(F),
            act: GELU,
            output: Linear::new(D),
        },
        output_norm: LayerNorm::new(D),
    }

    /// The embeddings and one encoder layer, on `L` token ids and `L` segment ids.
    pub model TinyBertEncoder(input_ids: tokens(L), token_type_ids: tokens(L))
        -> layer as "last_hidden_state"
    {
        embeddings: (input_ids, token_type_ids) -> BertEmbeddings,
        layer: BertLayer,
    }
}

#[test]
fn both_inputs_are_read_and_summed() {
    assert_eq!(TinyBertEncoder::INPUT_SHAPES.len(), 2);
    assert_eq!(TinyBertEncoder::INPUT_SHAPES.name(0), "input_ids");
    assert_eq!(
        TinyBertEncoder::INPUT_SHAPES.get("token_type_ids"),
        Some(Shape::new(&[1, 8]))
    );
    assert_eq!(
        TinyBertEncoder::OUTPUT_SHAPES.get("last_hidden_state"),
        Some(Shape::new(&[1, 8, 16]))
    );
    let summary = TinyBertEncoder::summary();
    let row = |path: &str| {
        let at = summary.paths().iter().position(|p| p == path).expect(path);
        summary.rows[at]
    };
    // Each table is looked up by its own ids: 100 words and 2 segments, 16 wide.
    assert_eq!(row("embeddings.word_embeddings").cost.params, 100 * 16);
    assert_eq!(row("embeddings.token_type_embeddings").cost.params, 2 * 16);
    assert_eq!(
        row("embeddings.token_type_embeddings").output,
        Shape::new(&[1, 8, 16])
    );
    // The sum of the two lookups: one add per element, 8 × 16.
    let sum = row("embeddings.embeddings");
    assert_eq!((sum.kind, sum.cost.flops), ("Add", 8 * 16));
}

#[test]
fn parameters_buffers_and_macs() {
    // Embeddings: three tables (100, 2 and 8 rows of 16) and a LayerNorm (weight and bias).
    let embeddings = 100 * 16 + 2 * 16 + 8 * 16 + 2 * 16;
    // Attention: q, k, v and out projections, 16 × 16 each with a bias of 16.
    let attention = 4 * (16 * 16 + 16);
    // Two LayerNorms, intermediate 16 → 64 and output 64 → 16, with biases.
    let layer = attention + 2 * (2 * 16) + (16 * 64 + 64) + (64 * 16 + 16);
    assert_eq!(TinyBertEncoder::PARAMS, embeddings + layer);
    assert_eq!(TinyBertEncoder::PARAMS, 5_072);
    assert_eq!(TinyBertEncoder::TRAINABLE_PARAMS, 5_072);
    // Two int64 buffers of 8 ids: nothing floating-point.
    assert_eq!(TinyBertEncoder::ALL_BUFFERS, 2 * 8);
    assert_eq!(TinyBertEncoder::BUFFERS, 0);
    // The lookups and adds do no MACs. Attention: four projections over 8 positions
    // (8 · 16 · 16 each), then QKᵀ and AV for 2 heads of 8 over 8 × 8 scores.
    let attention_macs = 4 * 8 * 16 * 16 + 2 * (2 * 8 * 8 * 8);
    // Intermediate and output: 8 · 16 · 64 each.
    let mlp_macs = 2 * (8 * 16 * 64);
    assert_eq!(TinyBertEncoder::MACS, attention_macs + mlp_macs);
    assert_eq!(TinyBertEncoder::MACS, 26_624);
}

#[test]
fn flops_by_hand() {
    // One [1, 8, 16] tensor.
    let elements = 8 * 16;
    // Embeddings: two adds and a LayerNorm (7 per element: 5 for the statistics, 2 affine).
    let embeddings = 2 * elements + 7 * elements;
    // Attention: 2 per MAC, the four projections' bias adds, 6 per score (2 heads × 8 × 8)
    // for the scaling and the softmax.
    let attention = 2 * (4 * 8 * 16 * 16 + 2 * (2 * 8 * 8 * 8)) + 4 * elements + 6 * (2 * 8 * 8);
    // The residual add and the LayerNorm after it.
    let attention_out = elements + 7 * elements;
    // Intermediate (2 per MAC, 8 × 64 bias adds), GELU (5 per element), output (2 per MAC,
    // 8 × 16 bias adds), the residual add and the LayerNorm.
    let mlp = (2 * 8 * 16 * 64 + 8 * 64)
        + 5 * (8 * 64)
        + (2 * 8 * 64 * 16 + 8 * 16)
        + elements
        + 7 * elements;
    assert_eq!(
        TinyBertEncoder::FLOPS,
        embeddings + attention + attention_out + mlp
    );
    assert_eq!(TinyBertEncoder::FLOPS, 60_928);
}

#[test]
fn memory_by_hand() {
    // Weights: the parameters at 4 bytes (the int64 buffers are state, not weights).
    assert_eq!(TinyBertEncoder::WEIGHT_BYTES, 4 * 5_072);
    // Activations: both inputs (8 ids each, at the activation dtype), twelve [1, 8, 16]
    // tensors of 512 bytes (the three lookups, the two sums, the LayerNorm; attention, add,
    // LayerNorm; output, add, LayerNorm) and two [1, 8, 64] of 2,048 (intermediate, GELU).
    // The buffers write nothing.
    let ids = 4 * 8;
    assert_eq!(
        TinyBertEncoder::ACTIVATION_BYTES,
        2 * ids + 12 * 512 + 2 * 2_048
    );
    // Alive as each entry runs (bytes):
    //   word_embeddings:        input_ids 32 + token_type_ids 32 + out 512       =   576
    //   token_type_embeddings:  token_type_ids 32 + word 512 + out 512           = 1,056
    //   embeddings (the sum):   word 512 + token types 512 + out 512             = 1,536
    //   with_positions:         sum 512 + positions 512 + out 512                = 1,536
    //   intermediate:           the residual's input 512 + out 2,048             = 2,560
    //   act (GELU):             input 512 + intermediate 2,048 + out 2,048       = 4,608
    //   output:                 input 512 + GELU 2,048 + out 512                 = 3,072
    // The most is at the GELU.
    assert_eq!(
        TinyBertEncoder::PEAK_MEMORY_BYTES,
        TinyBertEncoder::WEIGHT_BYTES + 4_608
    );
}

network! {
    /// A buffer declared first: its entry's implicit input is the model's input, which the
    /// buffer must not keep alive (it yields its own tensor, state, not a view of the input).
    #[input(8)]
    model BufferFirst {
        table: Buffer::new(&[1000]),
        fc: input -> Linear::new(1000),
        fc2: Linear::new(1000),
        sum: add(fc2, table),
    }
}

#[test]
fn a_buffer_read_first_holds_no_activation() {
    // Alive as each entry runs: fc: input 32 + out 4,000; fc2: 4,000 + 4,000; sum: fc2 4,000
    // + out 4,000 (the buffer is state; the input was freed after fc, its last reader).
    assert_eq!(
        BufferFirst::PEAK_MEMORY_BYTES,
        BufferFirst::WEIGHT_BYTES + 8_000
    );
    // The add reads the buffer at its size (1,000 values) besides fc2's output.
    let summary = BufferFirst::summary();
    assert_eq!(summary.rows[3].memory.access, 4 * (1_000 + 1_000 + 1_000));
}
