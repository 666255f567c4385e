//! Named tensors: DAGs, several inputs and outputs, joins, blocks with tensor parameters,
//! shared modules, train-only heads, frozen parameters. Every number is worked out by hand in
//! the test (f32: 4 bytes a value).

use nncost::prelude::*;

network! {
    /// out = fc2(relu(fc1(x))) + x, with the skip written by name.
    #[input(16)]
    model Skip {
        fc1: Linear::new(16),
        relu: ReLU,
        fc2: Linear::new(16),
        out: add(fc2, input),
    }
}

#[test]
fn a_join_adds_named_tensors() {
    assert_eq!(Skip::PARAMS, 2 * (16 * 16 + 16));
    // Two linears (2·MACs + bias), the ReLU, the add.
    assert_eq!(Skip::FLOPS, 2 * (2 * 256 + 16) + 16 + 16);
    assert_eq!(Skip::OUTPUT_SHAPE, Shape::new(&[1, 16]));
    let paths = Skip::summary().paths();
    assert_eq!(paths, ["fc1", "relu", "fc2", "out"]);
    assert_eq!(Skip::summary().rows[3].kind, "Add");
}

network! {
    /// A small feature pyramid: `c1` is read again at the very end, so it stays alive across
    /// the middle of the graph.
    #[input(4, 8, 8)]
    model MiniFpn -> (p1, lat2 as p2) {
        c1: Conv2d::new(8, 1),
        c2: Conv2d::new(16, 1).stride(2),
        lat2: Conv2d::new(8, 1),
        up: Upsample::scale(2),
        p1: add(up, c1),
    }
}

#[test]
fn peak_memory_follows_the_last_reader_across_the_graph() {
    // Shapes: x [1,4,8,8] 256 values; c1 [1,8,8,8] 512; c2 [1,16,4,4] 256; lat2 [1,8,4,4] 128;
    // up and p1 [1,8,8,8] 512 each.
    let weights = 4 * ((8 * 4 + 8) + (16 * 8 + 16) + (8 * 16 + 8));
    assert_eq!(MiniFpn::WEIGHT_BYTES, weights);
    // Alive as each entry runs (bytes):
    //   c1:   x 1024 + c1 2048                       = 3072, then x is freed (c1 its last reader)
    //   c2:   c1 2048 + c2 1024                      = 3072 (c1 is kept for p1)
    //   lat2: c1 2048 + c2 1024 + lat2 512           = 3584, then c2 is freed
    //   up:   c1 2048 + lat2 512 + up 2048           = 4608
    //   p1:   c1 2048 + lat2 512 + up 2048 + p1 2048 = 6656, then up and c1 are freed
    assert_eq!(MiniFpn::PEAK_MEMORY_BYTES, weights + 6656);
    assert_eq!(
        MiniFpn::ACTIVATION_BYTES,
        1024 + 2048 + 1024 + 512 + 2048 + 2048
    );
    // Traffic: each conv reads its input and weights and writes its output; the upsample reads
    // lat2 and writes up; the add reads up and c1 and writes p1.
    let access = (1024 + 4 * 40 + 2048)
        + (2048 + 4 * 144 + 1024)
        + (1024 + 4 * 136 + 512)
        + (512 + 2048)
        + (2048 + 2048 + 2048);
    assert_eq!(MiniFpn::MEMORY_ACCESS_BYTES, access);
    assert_eq!(MiniFpn::MACS, 8 * 4 * 64 + 16 * 8 * 16 + 8 * 16 * 16);
    assert_eq!(MiniFpn::OUTPUT_SHAPES.len(), 2);
    assert_eq!(MiniFpn::OUTPUT_SHAPES.name(0), "p1");
    assert_eq!(
        MiniFpn::OUTPUT_SHAPES.get("p2"),
        Some(Shape::new(&[1, 8, 4, 4]))
    );
    assert_eq!(MiniFpn::OUTPUT_SHAPE, Shape::new(&[1, 8, 8, 8]));
}

network! {
    /// BERT's embeddings: word and token-type tables summed, then normalized.
    pub model TinyBert(input_ids: tokens(8), token_type_ids: tokens(8)) -> hidden {
        words: input_ids -> Embedding::new(100, 16),
        types: token_type_ids -> Embedding::new(2, 16),
        embeddings: add(words, types),
        hidden: LayerNorm::new(16),
    }
}

#[test]
fn two_inputs_are_read_by_name() {
    assert_eq!(TinyBert::PARAMS, 100 * 16 + 2 * 16 + 2 * 16);
    assert_eq!(TinyBert::INPUT_SHAPES.len(), 2);
    assert_eq!(TinyBert::INPUT_SHAPES.name(1), "token_type_ids");
    assert_eq!(TinyBert::INPUT_SHAPE, Shape::new(&[1, 8]));
    assert_eq!(TinyBert::OUTPUT_SHAPE, Shape::new(&[1, 8, 16]));
    // Both inputs count in the activation bytes: 8 ids each, and three [1, 8, 16] tensors
    // besides (the two lookups and the sum) and the norm's output.
    assert_eq!(TinyBert::ACTIVATION_BYTES, 4 * (8 + 8 + 4 * 128));
    let norm = LayerNorm::new(16)
        .into_layer()
        .apply(&Shape::new(&[1, 8, 16]))
        .unwrap()
        .1
        .flops;
    // The lookups do no arithmetic; the add is one per element.
    assert_eq!(TinyBert::FLOPS, 128 + norm);
}

network! {
    /// A block with two inputs and two outputs.
    pub block SumAndProduct(a, b) -> (sum, product) {
        sum: add(a, b),
        product: mul(a, b),
    }

    pub model UsesPair(x: [4], y: [4]) -> (s, p) {
        pair: (x, y) -> SumAndProduct,
        s: pair.sum -> ReLU,
        p: pair.product -> ReLU,
    }
}

#[test]
fn blocks_take_and_give_several_tensors() {
    // add and mul: 4 FLOPs each; the ReLUs 4 each.
    assert_eq!(UsesPair::FLOPS, 4 * 4);
    assert_eq!(UsesPair::OUTPUT_SHAPES.get("p"), Some(Shape::new(&[1, 4])));
    let paths = UsesPair::summary().paths();
    assert_eq!(paths, ["pair", "pair.sum", "pair.product", "s", "p"]);
}

network! {
    /// One module applied twice (weights counted once), and a repeat of one module.
    #[input(8)]
    model SharedHeads {
        head: Linear::new(8),
        again: head -> head,
        #[shared]
        tied: [Linear::new(8); 3],
    }
}

#[test]
fn shared_modules_count_weights_once_and_work_per_use() {
    assert_eq!(SharedHeads::PARAMS, 72 + 72);
    assert_eq!(SharedHeads::MACS, 5 * 64);
    // Weights held once; read at every use.
    assert_eq!(SharedHeads::WEIGHT_BYTES, 4 * 144);
    let summary = SharedHeads::summary();
    let again = &summary.rows[1];
    assert_eq!((again.cost.params, again.cost.macs), (0, 64));
    assert!(again.shared());
    assert_eq!(again.memory.access, 4 * (8 + 72 + 8));
}

network! {
    /// An auxiliary head attached after `fc1`: trained, not run in inference.
    #[input(8)]
    model WithAux {
        fc1: Linear::new(8),
        #[train_only]
        aux: { fc: Linear::new(4), act: ReLU },
        fc2: Linear::new(2),
    }
}

#[test]
fn a_train_only_head_counts_weights_but_no_work() {
    assert_eq!(WithAux::PARAMS, 72 + 36 + 18);
    assert_eq!(WithAux::WEIGHT_BYTES, 4 * (72 + 36 + 18));
    assert_eq!(WithAux::MACS, 64 + 16);
    // The input, fc1's and fc2's outputs: nothing of the head.
    assert_eq!(WithAux::ACTIVATION_BYTES, 4 * (8 + 8 + 2));
    // fc1 with its input: 64 bytes; then fc2 with its input (fc1's output): 40 bytes.
    assert_eq!(WithAux::PEAK_MEMORY_BYTES, WithAux::WEIGHT_BYTES + 64);
    // fc2 reads fc1's output, as if the head were not there.
    assert_eq!(WithAux::OUTPUT_SHAPE, Shape::new(&[1, 2]));
    let summary = WithAux::summary();
    assert!(summary.rows[1].train_only());
    assert_eq!(summary.rows[1].cost.params, 36);
}

network! {
    #[input(8)]
    model Frozen {
        #[frozen]
        table: Linear::new(8),
        fc: Linear::new(2),
    }
}

#[test]
fn frozen_parameters_count_but_are_not_trainable() {
    assert_eq!(Frozen::PARAMS, 72 + 18);
    assert_eq!(Frozen::TRAINABLE_PARAMS, 18);
}

network! {
    /// Concatenation of features (the last dim) and repeated branches.
    #[input(4, 8)]
    model Branchy {
        qkv: concat(dim = -1) { q: Linear::new(8), kv: Linear::new(16) },
        moe: add { experts: [Linear::new(24); 4] },
    }
}

#[test]
fn concat_joins_any_dim_and_a_repeat_gives_branches() {
    assert_eq!(Branchy::OUTPUT_SHAPE, Shape::new(&[1, 4, 24]));
    assert_eq!(
        Branchy::PARAMS,
        (8 * 8 + 8) + (8 * 16 + 16) + 4 * (24 * 24 + 24)
    );
    // Three adds merge four branches of 4·24 values.
    let linears = 2 * (8 * 8 * 4 + 16 * 8 * 4) + (8 + 16) * 4 + 4 * (2 * 24 * 24 * 4 + 24 * 4);
    assert_eq!(Branchy::FLOPS, linears + 3 * 96);
    let paths = Branchy::summary().paths();
    assert!(paths.contains(&"moe.experts.3".to_owned()), "{paths:?}");
}

network! {
    pub block Stem {
        conv: Conv2d::new(8, 3).padding(1),
        relu: ReLU,
    }

    /// A stage whose first block differs, numbered flat; a stem spliced in by its own names.
    #[input(3, 8, 8)]
    model Flat {
        _: Stem,
        layer1: (Conv2d::new(8, 1), ..[Conv2d::new(8, 1); 3]),
    }
}

#[test]
fn spread_repeats_and_spliced_blocks_keep_flat_paths() {
    let paths = Flat::summary().paths();
    assert_eq!(
        paths,
        ["conv", "relu", "layer1", "layer1.0", "layer1.1", "layer1.2", "layer1.3"]
    );
    assert_eq!(Flat::PARAMS, (8 * 27 + 8) + 4 * (64 + 8));
}

network! {
    /// A decoder layer reading the encoder's output for its keys and values.
    pub block DecoderLayer(x, memory) {
        cross: (x, memory) -> MultiheadAttention::new(16, 2).bias(false),
        fc: Linear::new(16),
    }

    pub model EncoderDecoder(features: [10, 32], ids: tokens(4)) -> (out, encoded) {
        encoded: features -> Linear::new(24),
        embed: ids -> Embedding::new(50, 16),
        layers: (embed, encoded) -> [DecoderLayer; 2],
        out: Linear::new(50),
    }
}

#[test]
fn cross_attention_reads_its_keys_length_from_the_encoder() {
    // Each layer: q and out 16×16, k and v 24×16 (the encoder's width), no bias; fc 16×16+16.
    let layer = 2 * 16 * 16 + 2 * 24 * 16 + (16 * 16 + 16);
    assert_eq!(
        EncoderDecoder::PARAMS,
        (32 * 24 + 24) + 50 * 16 + 2 * layer + (16 * 50 + 50)
    );
    // Cross-attention MACs: q and out over 4 positions, k and v over the 10 encoded ones,
    // QKᵀ and AV: 4 queries × 10 keys × 16.
    let attention = 2 * 4 * 16 * 16 + 2 * 10 * 24 * 16 + 2 * 4 * 10 * 16;
    let macs = 10 * 32 * 24 + 2 * (attention + 4 * 16 * 16) + 4 * 16 * 50;
    assert_eq!(EncoderDecoder::MACS, macs);
    assert_eq!(
        EncoderDecoder::OUTPUT_SHAPES.get("encoded"),
        Some(Shape::new(&[1, 10, 24]))
    );
}

#[test]
fn the_summary_lists_outputs_and_marks_heads() {
    let table = MiniFpn::summary().to_string();

    assert!(
        table.contains("outputs: p1 [1, 8, 8, 8], p2 [1, 8, 4, 4]"),
        "{table}"
    );
    let table = WithAux::summary().to_string();
    assert!(table.contains("Sequential (train only)"), "{table}");
    let table = SharedHeads::summary().to_string();
    assert!(table.contains("Linear (shared)"), "{table}");
    let table = TinyBert::summary().to_string();
    assert!(
        table.contains("inputs: input_ids [1, 8], token_type_ids [1, 8]"),
        "{table}"
    );
    let table = Frozen::summary().to_string();
    assert!(table.contains("params 90 (90) (trainable 18)"), "{table}");
}

network! {
    /// `v` is a view of `a`: `a`'s buffer must outlive `a`'s last reader, until `v`'s.
    #[input(8)]
    model ViewOfKept {
        a: Linear::new(8),
        v: Reshape::new([2, 4]),
        c: a -> Linear::new(8),
        d: v -> Linear::new(3),
    }

    /// A block whose input is read twice.
    pub block Twice(x) -> out {
        h: Linear::new(8),
        out: add(h, x),
    }

    #[input(8)]
    model UsesTwice {
        pre: Linear::new(8),
        twice: Twice,
        post: Linear::new(8),
    }

    pub block AddMemory(x, memory) {
        sum: add(x, memory),
    }

    /// A repeat whose every copy reads `m` beside its input.
    model RepeatContext(x: [8], m: [8]) {
        layers: (x, m) -> [AddMemory; 3],
        fc: Linear::new(2),
    }
}

#[test]
fn a_view_keeps_its_buffer_alive() {
    // input 32 B; a 32 B (v views it); c 32 B; d [1, 2, 3] 24 B.
    //   a: input + a = 64, then the input is freed
    //   c: a + c = 64 (a's last reader by name, but v still views a's buffer)
    //   d: c has no reader and is dropped; a (viewed by v) + d = 56, then a's buffer is freed
    let weights = 4 * (72 + 72 + (4 * 3 + 3));
    assert_eq!(ViewOfKept::PEAK_MEMORY_BYTES, weights + 64);
    assert_eq!(ViewOfKept::OUTPUT_SHAPE, Shape::new(&[1, 2, 3]));
}

#[test]
fn a_block_frees_its_input_after_its_last_reader() {
    //   pre: input + pre = 64, the input freed
    //   twice.h: x (pre's output, handed to the block) + h = 64
    //   twice.out: x + h + out = 96, then x and h are freed
    //   post: out + post = 64
    assert_eq!(UsesTwice::PEAK_MEMORY_BYTES, 4 * 3 * 72 + 96);
    assert_eq!(UsesTwice::ACTIVATION_BYTES, 4 * 8 * 5);
}

#[test]
fn a_tensor_read_by_every_copy_of_a_repeat_lives_through_it() {
    // x and m: 64 B. Each copy adds its input and m (+32 = 96), then frees its input (64);
    // m is freed after the repeat (32), then fc: 32 + 8.
    assert_eq!(RepeatContext::PEAK_MEMORY_BYTES, 4 * 18 + 96);
    assert_eq!(RepeatContext::ACTIVATION_BYTES, 64 + 3 * 32 + 8);
    assert_eq!(RepeatContext::FLOPS, 3 * 8 + (2 * 16 + 2));
}

network! {
    /// Numbered entries, as `nn.Sequential` numbers its modules, and a tuple's elements read by
    /// their number.
    pub block Features {
        0: Conv2d::new(8, 3).padding(1),
        1: ReLU,
        2: Conv2d::new(8, 3).stride(2).padding(1),
    }

    #[input(3, 8, 8)]
    model Numbered -> (out, aux) {
        features: Features,
        stage: (Conv2d::new(8, 1), Conv2d::new(16, 1), Conv2d::new(8, 1)),
        out: add(stage.2, features),
        aux: stage.1 -> ReLU,
    }
}

network! {
    /// Numbered entries read by their numbers: as sources, in a join, and as outputs.
    pub block Pooling(x) -> (3, 1) {
        0: AdaptiveAvgPool2d::new(1, 1),
        1: Conv2d::new(8, 1),
        2: (1, x) -> Upsample::resize(),
        3: add(2, x),
    }

    #[input(8, 4, 4)]
    model ByNumber -> (pool, pool.1 as squeezed) { pool: Pooling }
}

#[test]
fn numbered_entries_are_read_by_their_numbers() {
    assert_eq!(ByNumber::OUTPUT_SHAPE, Shape::new(&[1, 8, 4, 4]));
    assert_eq!(
        ByNumber::OUTPUT_SHAPES.get("squeezed"),
        Some(Shape::new(&[1, 8, 1, 1]))
    );
    let paths = ByNumber::summary().paths();
    assert_eq!(paths, ["pool", "pool.0", "pool.1", "pool.2", "pool.3"]);
    // The 1×1 conv on the pooled map, then the add over 8·4·4 values.
    assert_eq!(ByNumber::MACS, 8 * 8);
    assert_eq!(ByNumber::PARAMS, 8 * 8 + 8);
}

#[test]
fn numbered_entries_and_tuple_elements_are_read_by_number() {
    let paths = Numbered::summary().paths();
    assert_eq!(
        paths[..7],
        [
            "features",
            "features.0",
            "features.1",
            "features.2",
            "stage",
            "stage.0",
            "stage.1"
        ]
    );
    assert_eq!(
        Numbered::OUTPUT_SHAPES.get("aux"),
        Some(Shape::new(&[1, 16, 4, 4]))
    );
    assert_eq!(Numbered::OUTPUT_SHAPE, Shape::new(&[1, 8, 4, 4]));
    // 8·3·9+8, 8·8·9+8, then the 1×1 convs 8→8, 8→16, 16→8.
    assert_eq!(
        Numbered::PARAMS,
        (8 * 27 + 8) + (8 * 72 + 8) + (64 + 8) + (128 + 16) + (128 + 8)
    );
}

network! {
    /// Names no identifier can hold, written as strings: torchvision's RegNet blocks
    /// (`block1-0`) and members of a `ModuleList` applied where they stand (its FPN's
    /// `inner_blocks.1`, run between other layers), read by the same strings.
    #[input(4, 8, 8)]
    model Quoted -> ("layer_blocks.1", "block1-1") {
        "block1-0": Conv2d::new(8, 3).padding(1),
        "block1-1": Conv2d::new(8, 1),
        "inner_blocks.1": "block1-0" -> Conv2d::new(16, 1),
        "layer_blocks.1": Conv2d::new(16, 3).padding(1),
    }
}

#[test]
fn entries_named_by_strings_keep_their_names() {
    assert_eq!(
        Quoted::summary().paths(),
        ["block1-0", "block1-1", "inner_blocks.1", "layer_blocks.1"]
    );
    assert_eq!(
        Quoted::OUTPUT_SHAPES.get("layer_blocks.1"),
        Some(Shape::new(&[1, 16, 8, 8]))
    );
    assert_eq!(
        Quoted::OUTPUT_SHAPES.get("block1-1"),
        Some(Shape::new(&[1, 8, 8, 8]))
    );
    // `inner_blocks.1` reads `block1-0` (8 channels), not `block1-1`'s output.
    let positions = 8 * 8;
    assert_eq!(
        Quoted::MACS,
        positions * (8 * 4 * 9 + 8 * 8 + 16 * 8 + 16 * 16 * 9)
    );
}

network! {
    /// Differences and quotients of named tensors, broadcasting as PyTorch.
    #[input(4, 8)]
    model Arithmetic {
        a: Linear::new(8),
        norm: Linear::new(1),
        diff: sub(input, a),
        ratio: div(diff, norm),
        back: sub { same: Identity, scaled: Linear::new(8) },
    }
}

#[test]
fn sub_and_div_broadcast_with_one_flop_per_element() {
    assert_eq!(Arithmetic::OUTPUT_SHAPE, Shape::new(&[1, 4, 8]));
    let linears = (2 * 64 + 8) * 4 + (2 * 8 + 1) * 4 + (2 * 64 + 8) * 4;
    assert_eq!(Arithmetic::FLOPS, linears + 3 * 32);
    let kinds: Vec<&str> = Arithmetic::summary().rows.iter().map(|r| r.kind).collect();
    assert!(
        kinds.contains(&"Sub") && kinds.contains(&"Div"),
        "{kinds:?}"
    );
}

network! {
    /// The input flows into a group whose entries read a name: the group passes the input to
    /// its first entry, after which nothing reads it.
    #[input(64, 16, 16)]
    model InputIntoGroup {
        g: {
            e: Conv2d::new(4, 1),
            r: ReLU,
            l: e -> Conv2d::new(512, 1),
        },
    }

    /// The same entries without the group.
    #[input(64, 16, 16)]
    model InputIntoEntries {
        e: Conv2d::new(4, 1),
        r: ReLU,
        l: e -> Conv2d::new(512, 1),
    }
}

/// A group hands its input on to its first entry: the input is freed after that entry, not
/// kept until the group ends (which held the 64-channel input through `l`).
#[test]
fn a_group_frees_its_input_after_its_first_entry() {
    let weights = ((64 * 4 + 4) + (4 * 512 + 512)) * 4;
    // At `l`: `e` (read by name) and `l`'s output; the input and `r` are gone.
    let at_l = (4 + 512) * 16 * 16 * 4;
    assert_eq!(InputIntoEntries::PEAK_MEMORY_BYTES, weights + at_l);
    assert_eq!(InputIntoGroup::PEAK_MEMORY_BYTES, weights + at_l);
}
