//! # nncost: what a neural network costs, known at compile time
//!
//! Declare a network in Rust; read its parameters, multiply-accumulates (MACs), FLOPs and
//! shapes as plain `const`s; write budgets next to it so that `cargo check` fails when the
//! model outgrows the device it ships to. Every figure is exact and matches PyTorch.
//!
//! ```
//! use nncost::prelude::*;
//!
//! network! {
//!     /// A small CNN for 32×32 images.
//!     #[input(3, 32, 32)]
//!     #[budget(params <= 100K, macs <= 10M)]
//!     pub model TinyNet {
//!         conv1: Conv2d::new(16, 3).padding(1),
//!         relu1: ReLU,
//!         pool: MaxPool2d::new(2),
//!         conv2: Conv2d::new(32, 3).padding(1),
//!         relu2: ReLU,
//!         gap: AdaptiveAvgPool2d::new(1, 1),
//!         flatten: Flatten,
//!         fc: Linear::new(10),
//!     }
//! }
//!
//! const _: () = assert!(TinyNet::PARAMS == 448 + 4_640 + 330);
//! assert_eq!(TinyNet::MACS, 442_368 + 1_179_648 + 320);
//! assert_eq!(TinyNet::OUTPUT_SHAPE, Shape::new(&[1, 10]));
//! println!("{}", TinyNet::summary());
//! ```
//!
//! ## Declaring networks with [`network!`]
//!
//! One `network!` holds any number of declarations, each a **model** (a network with an input)
//! or a **block** (a reusable piece whose input comes from where it is used):
//!
//! ```
//! use nncost::prelude::*;
//!
//! network! {
//!     /// ResNet basic block with `C` output channels and stride `S`.
//!     pub block BasicBlock<const C: u64, const S: u64> {
//!         residual {
//!             conv1: Conv2d::new(C, 3).stride(S).padding(1).bias(false),
//!             bn1: BatchNorm2d::new(),
//!             relu: ReLU,
//!             conv2: Conv2d::new(C, 3).padding(1).bias(false),
//!             bn2: BatchNorm2d::new(),
//!         } shortcut {
//!             // identity when the shape already matches, else 1x1 conv + BN
//!             downsample: Projection::conv_bn(C).stride(S),
//!         },
//!         relu_out: ReLU,
//!     }
//!
//!     #[input(3, 224, 224)]
//!     #[budget(params <= 12M, macs <= 2G)]
//!     pub model ResNet18 {
//!         conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
//!         bn1: BatchNorm2d::new(),
//!         relu: ReLU,
//!         maxpool: MaxPool2d::new(3).stride(2).padding(1),
//!         layer1: [BasicBlock<64, 1>; 2],
//!         layer2: (BasicBlock<128, 2>, BasicBlock<128, 1>),
//!         layer3: (BasicBlock<256, 2>, BasicBlock<256, 1>),
//!         layer4: (BasicBlock<512, 2>, BasicBlock<512, 1>),
//!         avgpool: AdaptiveAvgPool2d::new(1, 1),
//!         flatten: Flatten,
//!         fc: Linear::new(1000),
//!     }
//! }
//!
//! const _: () = assert!(ResNet18::PARAMS == 11_689_512);
//! const _: () = assert!(ResNet18::MACS == 1_814_073_344);
//! ```
//!
//! A declaration is `[attributes] [pub] model|block Name[<generics>] [where ..] { entries }`.
//! Generics are those of a struct: const parameters (`<const C: u64>`), type parameters
//! (`<B: Backend>`, for a block that mirrors a framework type) and lifetimes.
//!
//! | attribute | on | meaning |
//! |---|---|---|
//! | `#[input(3, 224, 224)]` | model (required) | the shape of one sample; each dim is a `u64` const expression |
//! | `#[input(tokens = 128)]` | model (instead) | `[N, 128]` token ids, for an `Embedding` (see [Sequence models](#sequence-models)) |
//! | `#[input(tokens = 1, cached = 4096)]` | model (instead) | one step of 1 token over a KV cache of 4,096 positions (`cached = 0`: prefill; see [LLM inference](#llm-inference-prefill-decode-and-the-kv-cache)) |
//! | `#[batch(8)]` | model | the batch size (default 1) |
//! | `#[dtype(weights = int8, activations = f16)]` | model | the dtypes memory is counted in (default f32; see [Memory](#memory)); `kv_cache = fp8` for the KV cache's (default: the activations') |
//! | `#[budget(params <= 12M, ..)]` | model | limits checked at compile time (see below) |
//! | `#[output(10)]` | model | the output shape of one sample, checked (a layer missing or out of order fails at compile time) |
//! | `///` docs, `#[derive]`, lint attributes | both | passed to the generated type |
//!
//! Entries are comma-separated and named; the names make the layer paths of summaries and error
//! messages (`ResNet18.layer2.0.conv1`). An entry is `name: item`, where an item is:
//!
//! | item | meaning | example |
//! |---|---|---|
//! | layer value | any const expression of a layer builder | `Conv2d::new(64, 3).stride(2)` |
//! | costed type | a block, model, derived struct or unit layer | `BasicBlock<64, 1>`, `ReLU` |
//! | `[item; n]` | `n` copies in a row, named `0`, `1`, .. (`n: u64`) | `[BasicBlock<64, 1>; 2]` |
//! | `(item, ..)` | a sequence named `0`, `1`, .. | `(BasicBlock<128, 2>, BasicBlock<128, 1>)` |
//! | `{ name: item, .. }` | a named sub-sequence | `{ conv: Conv2d::new(8, 1), relu: ReLU }` |
//! | `residual { .. } shortcut { .. }` | `body(x) + shortcut(x)`; no `shortcut` is the identity | see `BasicBlock` |
//! | `concat { .. }` | branches on the same input, concatenated on channels | Inception, SqueezeNet's fire |
//! | `add { .. }`, `mul { .. }` | branches on the same input, summed / multiplied elementwise, broadcasting as PyTorch (see [Building blocks](#building-blocks)) | squeeze-and-excitation's `scale * input` |
//! | `matmul { .. }` | branches on the same input, matrix-multiplied left to right (`torch.matmul`) | attention's `QKᵀ` and `AV` by hand |
//! | `moe(experts = E, top_k = k) { gate: .., experts: .. }` | a mixture of experts: a router picks `k` of `E` experts per token (see [Mixtures of experts](#mixtures-of-experts)) | Mixtral's `block_sparse_moe` |
//!
//! `residual`, `concat`, `add`, `mul` and `matmul` may also stand without a name, as above: their layers
//! are then named as if they stood in the enclosing block (`layer1.0.conv1`).
//!
//! **Names used again.** A name may appear more than once in a block; the later uses get
//! numbered paths, `norm_2`, as merges are numbered `add`, `add_2` (paths that are distinct stay
//! as written). In two unnamed groups (two `residual { norm: .., .. }` sub-blocks, as Hugging
//! Face and torchvision name them) they are two layers, each costed. In one list (or in a group
//! and the list around it) they are one module applied again, as burn's single `dropout` field
//! used in three places of `forward`: each use costs what it computes, which is right for a
//! layer without weights, and a compile error for one with weights (two layers with weights
//! need two names; a module applied twice with the same weights is weight sharing):
//!
//! ```
//! use nncost::prelude::*;
//! network! {
//!     #[input(16)]
//!     model Shared {
//!         fc1: Linear::new(32), act: GELU, drop: Dropout::new(0.1),
//!         fc2: Linear::new(32), act: GELU, drop: Dropout::new(0.1),
//!         residual { norm: LayerNorm::new(32), fc: Linear::new(32) },
//!         residual { norm: LayerNorm::new(32), fc: Linear::new(32) },
//!     }
//! }
//! assert_eq!(
//!     Shared::summary().paths(),
//!     ["fc1", "act", "drop", "fc2", "act_2", "drop_2", "norm", "fc", "add", "norm_2", "fc_2", "add_2"],
//! );
//! assert_eq!(Shared::PARAMS, (16 * 32 + 32) + 3 * (32 * 32 + 32) + 2 * 2 * 32);
//! ```
//!
//! **nncost's layers first.** Layer expressions in entries resolve nncost's layer names before
//! your imports (they expand in a scope that imports `nncost::layers::*`), so a framework's
//! `Conv2d` or `Linear` in the same file does not capture `Conv2d::new(64, 3)`, and importing
//! nncost's layers for them is not needed. Types in entries (your blocks, `ReLU`) are looked up
//! as you wrote them.
//!
//! **Types and values.** A path with generic arguments, or a CamelCase path, is a costed type
//! (`<T as ModelCost>::NODE`); anything with a call, and a SCREAMING_CASE constant, is a layer
//! value (`expr.into_layer()`). Unit layers such as `ReLU` and `Flatten` are both. So const
//! items, const generics and your own `const fn`s all work:
//!
//! ```
//! use nncost::prelude::*;
//! const STEM: Conv2d = Conv2d::new(32, 3).stride(2).padding(1);
//! const fn conv_bn_width(width_pct: u64) -> u64 { 64 * width_pct / 100 }
//!
//! network! {
//!     #[input(3, 64, 64)]
//!     model Slim<const W: u64> {
//!         stem: STEM,
//!         conv: Conv2d::new(conv_bn_width(W), 3),
//!     }
//! }
//! assert_eq!(Slim::<50>::OUTPUT_SHAPE, Shape::new(&[1, 32, 30, 30]));
//! ```
//!
//! Input channels and features are inferred from the incoming shape, as PyTorch's lazy modules
//! do; declare them (`.in_channels(3)`, `.in_features(512)`) to have them checked.
//!
//! **Conditions.** `if COND { .. } else { .. }` picks layers with a `bool` const expression;
//! only the side taken is costed (and shown), and a name may appear on both sides:
//!
//! ```
//! use nncost::prelude::*;
//! network! {
//!     /// Expands by `T` unless `T` is 1, as MobileNetV2's inverted residual.
//!     pub block Expand<const C: u64, const T: u64> {
//!         if T != 1 {
//!             expand: Conv2d::new(C * T, 1).bias(false),
//!         },
//!         depthwise: Conv2d::new(C * T, 3).padding(1).groups(C * T).bias(false),
//!     }
//!     #[input(16, 8, 8)]
//!     model One { body: Expand<16, 1> }
//!     #[input(16, 8, 8)]
//!     model Six { body: Expand<16, 6> }
//! }
//! assert_eq!(One::PARAMS, 16 * 9);
//! assert_eq!(Six::PARAMS, 16 * 96 + 96 * 9);
//! ```
//!
//! **Generic arguments.** Stable Rust does not accept an expression such as `{ 2 * W }` as a
//! generic argument in generic code, so pass parameters through as they are
//! (`Block<W, 2>`) and do the arithmetic inside the block (`Conv2d::new(C * M, 3)`), where
//! any const expression is fine.
//!
//! ## Building blocks
//!
//! Modern blocks are written as PyTorch writes them:
//!
//! | piece | what | PyTorch |
//! |---|---|---|
//! | broadcasting `add`, `mul`, residual adds | dims aligned from the right, size-1 dims expand; the output has the broadcast shape, FLOPs are one per output element, each operand is read at its own size; shapes that do not broadcast are a compile error naming both and the dim | `x * s`, `x + bias` |
//! | [`Identity`](layers::Identity) | a branch that keeps the input (a view) | `nn.Identity()` |
//! | [`Parameter::new(&[..])`](layers::Parameter) | a learned tensor of any shape, yielded as an operand: its params count once; no MACs | `nn.Parameter(torch.ones(C, 1, 1))` |
//! | [`Buffer::new(&[..])`](layers::Buffer), `.integer()` | a fixed tensor, counted in `BUFFERS` (float) or `ALL_BUFFERS` | `register_buffer(..)` |
//! | [`IndexSelect::new(&[..])`](layers::IndexSelect) | a table's rows gathered by an integer index buffer it owns | `table[index]` |
//! | [`Conv2d::depthwise(k)`](layers::Conv2d::depthwise), `.depth_multiplier(m)`, [`Conv2d::ratio(n, d, k)`](layers::Conv2d::ratio), [`Linear::ratio(n, d)`](layers::Linear::ratio) | widths taken from the input (all convolutions) | `groups=in_channels`, `in // 2`, `4 * dim` |
//! | [`LayerNorm2d`](layers::LayerNorm2d), [`FrozenBatchNorm2d`](layers::FrozenBatchNorm2d), [`StochasticDepth`](layers::StochasticDepth) | torchvision's | `torchvision.ops`, `models.convnext` |
//! | [`Narrow::drop_last(dim, k)`](layers::Narrow::drop_last) | a crop from the end (Mamba's causal conv) | `x[..., :-k]` |
//! | [`Custom::new("Name")`](layers::Custom) | an operation nncost lacks, with the shape and figures you state | a custom kernel |
//!
//! The README shows squeeze-and-excitation and ConvNeXt's layer scale; Swin's relative position
//! bias (a `[169, H]` table gathered by a `[49·49]` index and added to the attention scores):
//!
//! ```
//! use nncost::prelude::*;
//!
//! network! {
//!     pub block RelativePositionBias<const H: u64> {
//!         add {
//!             scores: Identity,
//!             bias: {
//!                 table: Parameter::new(&[169, H]),       // relative_position_bias_table
//!                 gather: IndexSelect::new(&[49 * 49]),   // relative_position_index (int64)
//!                 view: Unflatten::new(0, [49, 49]),
//!                 heads_first: Permute::new([2, 0, 1]),   // [H, 49, 49], broadcast over windows
//!             },
//!         },
//!     }
//!
//!     #[input(3, 49, 49)]
//!     #[batch(64)]
//!     model Scores { bias: RelativePositionBias<3> }
//! }
//! assert_eq!(Scores::PARAMS, 169 * 3);
//! assert_eq!((Scores::BUFFERS, Scores::ALL_BUFFERS), (0, 49 * 49));
//! assert_eq!(Scores::FLOPS, 64 * 3 * 49 * 49); // the add
//! ```
//!
//! **An operation nncost does not know** stays exact with [`Custom`](layers::Custom): name it,
//! state its figures as const expressions (generic parameters welcome), and it is costed, shown
//! in summaries and checked against budgets like any layer:
//!
//! ```
//! use nncost::prelude::*;
//! network! {
//!     /// Mamba's selective scan over `L` positions, `D` channels and state size `N`.
//!     pub block SelectiveScan<const L: u64, const D: u64, const N: u64> {
//!         scan: Custom::new("SelectiveScan").params(D * N).flops(9 * L * D * N),
//!     }
//!     #[input(64, 128)]
//!     model Ssm { ssm: SelectiveScan<128, 64, 16> }
//! }
//! assert_eq!(Ssm::FLOPS, 9 * 128 * 64 * 16);
//! assert_eq!(Ssm::summary().rows[1].kind, "SelectiveScan");
//! ```
//!
//! ## Graphs
//!
//! A plain declaration is a sequence, with residuals and branches nested in it. Networks whose
//! data flow is not nested — feature pyramids, detection necks, encoder-decoders, two-tower
//! models — name their tensors, as Keras's functional API and NNEF do:
//!
//! | form | meaning | PyTorch |
//! |---|---|---|
//! | `name: src -> item` | `item` reads the tensor `src` instead of the previous output | `name = item(src)` |
//! | `name: (a, b) -> Block` | a block (or layer) with several inputs: a block's declared inputs, a cross-attention's keys and values, an `Upsample`'s target size | `block(a, b)` |
//! | `name: add(a, b)`, `mul(..)`, `matmul(..)`, `concat(a, b, dim = d)` | named tensors merged (broadcasting, as PyTorch) | `a + b`, `torch.cat([a, b], d)` |
//! | `src` | an input, an earlier entry, a name inside an earlier group (`backbone.layer2`), a named output of an earlier block (`fpn.p3`) | |
//! | `block Fpn(c3, c4, c5) -> (p3, p4, p5) { .. }` | a block with named inputs and outputs | `forward(self, c3, c4, c5)` |
//! | `model Clip(pixel_values: [3, 224, 224], input_ids: tokens(77)) -> (..)` | a model with several inputs, each with the shape of one sample | |
//! | `-> (out, aux)`, `-> p2 as "0"` | the outputs, in order (the last entry's output when left out) | `return out, aux` |
//! | `name: h3` (a name of an earlier entry as the item) | that entry's module applied again: weights counted once, work per use | a module called twice |
//! | `#[shared] layers: [Layer; 12]` | one module applied again and again (ALBERT) | |
//! | `#[train_only] aux: ..` | an auxiliary head: its weights count, it does not run in inference; the next entry reads what it read | `if self.training: aux(x)` |
//! | `#[frozen] name: ..` | parameters with `requires_grad = False`: in `PARAMS`, not in `TRAINABLE_PARAMS` | |
//! | `_: Block` | a block spliced in: its layers keep their own names (`conv1`, not `stem.conv1`) | |
//! | `(First, ..[Rest; n])` | a stage whose first block differs, numbered `0` to `n` | `nn.Sequential(first, *rest)` |
//!
//! A feature pyramid over a small backbone: the top-down path reads `c3` and `c4` long after
//! they were computed, so they stay alive in between, and the peak memory says so.
//!
//! ```
//! use nncost::prelude::*;
//!
//! network! {
//!     /// torchvision's `FeaturePyramidNetwork` over three levels with `C` channels.
//!     pub block Fpn<const C: u64>(c3, c4, c5) -> (p3, p4, p5) {
//!         inner5: c5 -> Conv2d::new(C, 1),
//!         inner4: c4 -> Conv2d::new(C, 1),
//!         up5: (inner5, inner4) -> Upsample::resize(),   // F.interpolate(size=..)
//!         last4: add(inner4, up5),
//!         inner3: c3 -> Conv2d::new(C, 1),
//!         up4: (last4, inner3) -> Upsample::resize(),
//!         last3: add(inner3, up4),
//!         p3: last3 -> Conv2d::new(C, 3).padding(1),
//!         p4: last4 -> Conv2d::new(C, 3).padding(1),
//!         p5: inner5 -> Conv2d::new(C, 3).padding(1),
//!     }
//!
//!     #[input(3, 64, 64)]
//!     pub model Detector -> (fpn.p3, fpn.p4, fpn.p5) {
//!         stem: Conv2d::new(16, 3).stride(2).padding(1),
//!         c3: Conv2d::new(32, 3).stride(2).padding(1),
//!         c4: Conv2d::new(64, 3).stride(2).padding(1),
//!         c5: Conv2d::new(128, 3).stride(2).padding(1),
//!         fpn: (c3, c4, c5) -> Fpn<32>,
//!     }
//! }
//!
//! assert_eq!(Detector::OUTPUT_SHAPES.len(), 3);
//! assert_eq!(Detector::OUTPUT_SHAPES.get("fpn.p4"), Some(Shape::new(&[1, 32, 8, 8])));
//! assert_eq!(Detector::OUTPUT_SHAPE, Shape::new(&[1, 32, 16, 16]));
//! let inner = (32 * 32 + 32) + (64 * 32 + 32) + (128 * 32 + 32);
//! let layer = 3 * (32 * 32 * 9 + 32);
//! let backbone = (16 * 27 + 16) + (32 * 16 * 9 + 32) + (64 * 32 * 9 + 64) + (128 * 64 * 9 + 128);
//! assert_eq!(Detector::PARAMS, backbone + inner + layer);
//! println!("{}", Detector::summary());
//! ```
//!
//! Names resolve to what was computed before, at any depth back; a name that is unknown, not yet
//! computed (a cycle), or an input never read is an error at its token, with a suggestion. The
//! evaluation stays one pass: the macro keeps each named tensor in a slot until its last reader,
//! where it is freed, so `PEAK_MEMORY_BYTES` follows the real liveness of the graph. Every output
//! is in [`Report::outputs`] and the `OUTPUT_SHAPES` const (by name), and in the summary;
//! `OUTPUT_SHAPE` is the first. Each input's bytes count in the memory figures.
//!
//! ## Deriving `ModelCost`
//!
//! Most models already exist as structs in a framework (burn, candle, your own), generic over
//! a backend, with fields that hold weights. `#[derive(ModelCost)]` costs such a struct where it
//! stands: each field is a layer, in declaration order.
//!
//! ```
//! use nncost::prelude::*;
//! # pub struct Param<B>(std::marker::PhantomData<B>);
//!
//! /// LeNet-5, with the framework's weights in each field.
//! #[derive(ModelCost)]
//! #[nncost(input(1, 28, 28), budget(params <= 62K, macs <= 420K))]
//! pub struct LeNet5<B> {
//!     #[layer(Conv2d::new(6, 5).padding(2))]
//!     #[nncost(after(relu1: ReLU, pool1: MaxPool2d::new(2)))]
//!     pub conv1: Param<B>,
//!     #[layer(Conv2d::new(16, 5))]
//!     #[nncost(after(relu2: ReLU, pool2: MaxPool2d::new(2), flatten: Flatten))]
//!     pub conv2: Param<B>,
//!     #[layer(Linear::new(120))]
//!     pub fc1: Param<B>,
//!     pub relu3: ReLU,                 // no attribute: the type is costed
//!     #[layer(Linear::new(84))]
//!     #[nncost(after(relu4: ReLU))]
//!     pub fc2: Param<B>,
//!     #[layer(Linear::new(10))]
//!     pub fc3: Param<B>,
//!     #[nncost(skip)]                  // not a layer
//!     pub dropout_p: f32,
//! }
//!
//! const _: () = assert!(LeNet5::<()>::PARAMS == 61_706);
//! assert_eq!(LeNet5::<()>::MACS, 416_520);
//! assert_eq!(LeNet5::<()>::summary().paths()[..3], ["conv1", "relu1", "pool1"]);
//! ```
//!
//! | attribute | on | meaning |
//! |---|---|---|
//! | `#[layer(item)]` | field | the field's layer: any `network!` entry item, such as `Conv2d::new(64, 3)`, `[Block<64>; 2]` or `{ conv: .., relu: .. }` |
//! | (none) | field | the field's type is costed: a derived struct, a `network!` block or model, a unit layer (`ReLU`), or an array `[T; N]` (`N` in a row) or tuple `(A, B)` of those |
//! | `#[nncost(skip)]`, burn's `#[module(skip)]` | field | not a layer: settings, caches, `PhantomData` |
//! | `#[nncost(before(name: item, ..))]`, `after(..)` | field | layers with no field of their own (a flatten, a functional activation), run just before / after the field |
//! | `#[nncost(input(3, 224, 224))]` | struct | makes the struct a model (as `#[input]`; also `input(tokens = L)`) |
//! | `batch = 8`, `budget(params <= 12M, ..)`, `dtype(int8)`, `output(10)` | struct, with `input` | as `#[batch]`, `#[budget]`, `#[dtype]` and `#[output]` |
//! | `forward(step, ..)` | struct | the order of the forward pass, when it is not the declaration order (see below) |
//! | `residual(first..=last, shortcut = field, after(..))` | struct | those fields are `body(x) + shortcut(x)` (no `shortcut`: the identity), then the `after` layers |
//! | `concat(a, b..=c, .., after(..))`, `add(..)`, `mul(..)`, `matmul(..)` | struct | branches on the same input (a field or a range of fields each), merged, then the `after` layers |
//! | `crate = path` | struct | the path to nncost when the dependency is renamed (`crate = nn`); default `::nncost` |
//!
//! Without `input` the struct is a block: it implements [`ModelCost`] and can be used in
//! `network!`, as another derived struct's field, or from another crate, and `network!` blocks
//! and models can be its fields' types in turn.
//!
//! **Structure.** Residual and branch structure is written on the struct, over its fields, as
//! a forward pass combines them; the fields themselves stay as they are. torchvision's
//! `BasicBlock`, whose forward reuses `relu` after the add:
//!
//! ```
//! use nncost::prelude::*;
//! # pub struct Param<B>(std::marker::PhantomData<B>);
//!
//! #[derive(ModelCost)]
//! #[nncost(residual(conv1..=bn2, shortcut = downsample, after(relu_out: ReLU)))]
//! pub struct BasicBlock<B, const C: u64, const S: u64> {
//!     #[layer(Conv2d::new(C, 3).stride(S).padding(1).bias(false))]
//!     pub conv1: Param<B>,
//!     #[layer(BatchNorm2d::new())]
//!     pub bn1: Param<B>,
//!     pub relu: ReLU,
//!     #[layer(Conv2d::new(C, 3).padding(1).bias(false))]
//!     pub conv2: Param<B>,
//!     #[layer(BatchNorm2d::new())]
//!     pub bn2: Param<B>,
//!     // identity when the shape already matches, else 1x1 conv + BN
//!     #[layer(Projection::conv_bn(C).stride(S))]
//!     pub downsample: Option<Param<B>>,
//! }
//!
//! #[derive(ModelCost)]
//! #[nncost(input(64, 56, 56))]
//! pub struct Layer2<B> {
//!     pub blocks: (BasicBlock<B, 128, 2>, BasicBlock<B, 128, 1>),
//! }
//! // 3×3 convs 64→128 and 128→128, the 1×1 projection, two more 3×3 convs, five BNs.
//! assert_eq!(Layer2::<()>::PARAMS, 73_728 + 147_456 + 8_192 + 2 * 147_456 + 5 * 256);
//! assert_eq!(Layer2::<()>::OUTPUT_SHAPE, Shape::new(&[1, 128, 28, 28]));
//! ```
//!
//! A group runs where its first field stands; its fields must stand together (skipped fields
//! aside), and a field belongs to one group: nest deeper structure by giving a field a derived
//! or `network!` type, or give the whole order with `forward(..)`. A group's layers are named as if they stood in the struct
//! (`layer2.0.conv1`), as an unnamed `residual { .. }` in `network!`; a branch of one field is
//! named after it. A tuple struct's fields are named, and referred to, by index
//! (`residual(0..=2)`).
//!
//! **Forward order.** `forward(..)` lists what the forward pass applies, in its order,
//! independently of the order the fields are declared in, so a framework's struct is costed as
//! it stands. Hugging Face declares `LlamaDecoderLayer`'s fields `self_attn, mlp,
//! input_layernorm, post_attention_layernorm`:
//!
//! ```
//! use nncost::prelude::*;
//! # pub struct Param<B>(std::marker::PhantomData<B>);
//!
//! /// `down_proj(act_fn(gate_proj(x)) * up_proj(x))`.
//! #[derive(ModelCost)]
//! #[nncost(forward(mul((gate_proj, act_fn), up_proj), down_proj))]
//! pub struct LlamaMlp<B> {
//!     #[layer(Linear::new(1376).bias(false))]
//!     pub gate_proj: Param<B>,
//!     #[layer(Linear::new(1376).bias(false))]
//!     pub up_proj: Param<B>,
//!     #[layer(Linear::new(512).bias(false))]
//!     pub down_proj: Param<B>,
//!     #[layer(SiLU)]
//!     pub act_fn: (),
//! }
//!
//! /// `x + self_attn(input_layernorm(x))`, then `x + mlp(post_attention_layernorm(x))`.
//! #[derive(ModelCost)]
//! #[nncost(
//!     input(128, 512),
//!     forward(residual(input_layernorm, self_attn), residual(post_attention_layernorm, mlp)),
//! )]
//! pub struct LlamaDecoderLayer<B> {
//!     #[layer(MultiheadAttention::new(512, 8).kv_heads(2).bias(false))]
//!     pub self_attn: Param<B>,
//!     pub mlp: LlamaMlp<B>,
//!     #[layer(RMSNorm::new(512))]
//!     pub input_layernorm: Param<B>,
//!     #[layer(RMSNorm::new(512))]
//!     pub post_attention_layernorm: Param<B>,
//! }
//! // q, o: 512×512; k, v: 512×128 (2 heads of 64); the MLP 3×512×1,376; two norms of 512.
//! let params = 2 * 512 * 512 + 2 * 512 * 128 + 3 * 512 * 1_376 + 2 * 512;
//! assert_eq!(LlamaDecoderLayer::<()>::PARAMS, params);
//! ```
//!
//! A step is a field (`conv1`), a range of fields in declaration order (`conv1..=bn2`), a layer
//! with no field written in place (`flatten: Flatten`, for what `forward` does with a function),
//! steps in a row in parentheses (`(gate_proj, act_fn)`, a branch of several steps), or a group
//! over steps: `residual(steps.., shortcut = step, after(..))`, `concat(branch, ..)`, `add(..)`,
//! `mul(..)`, `matmul(..)`, nested as deep as needed. Every costed field must appear; a field
//! named twice is the module applied again (see "Names used again" above). clippy's
//! `duplicated_attributes` (warned by default) takes a list of plain names that repeats one,
//! `forward(fc1, act, fc2, act)`, for a duplicated attribute: allow it on the struct
//! (`#[allow(clippy::duplicated_attributes)]`); a list with an in-place layer
//! (`flatten: Flatten`) or a budget in the same attribute is not read that way. The struct-level
//! groups (`residual(a..=b, ..)`) keep working without `forward`; with it, write the groups
//! inside it.
//!
//! **Generics** are those of the struct: type parameters (a backend), lifetimes, const
//! generics, defaults and where-clauses. A field whose type is a type parameter (`inner: T`)
//! needs the bound `T: ModelCost`. The derive reads the fields' types, never their values.
//! [`frameworks`] shows burn's and candle's MNIST models annotated as they are, and how to
//! check the annotations against the frameworks' own counts.
//!
//! **Errors** point at your tokens: a misspelt key gets a "did you mean", a shape error
//! points at the field's `#[layer]`, a budget at its limit, and a field whose type has no cost
//! model at that type, with the fix:
//!
//! ```compile_fail
//! use nncost::prelude::*;
//! #[derive(ModelCost)]
//! struct Head {
//!     #[layer(Linear::new(10))]
//!     fc: Vec<f32>,
//!     dropout_p: f32, // error: `f32` has no cost model (give it `#[layer(..)]` or `#[nncost(skip)]`)
//! }
//! ```
//!
//! ## What a model gives you
//!
//! ([`example_generated`] shows the items one declaration generates, as rustdoc pages.)
//!
//! Every model type (a `network!` model, a derived struct with `input`) gets these associated
//! consts, readable with no import (`ResNet18::MACS`), and implements [`Model`] and
//! [`ModelCost`]:
//!
//! | const | type | meaning |
//! |---|---|---|
//! | `PARAMS` | `u64` | learnable parameters |
//! | `BUFFERS` | `u64` | non-learnable floating-point state |
//! | `ALL_BUFFERS` | `u64` | every buffer, integer ones included, as `sum(b.numel() for b in model.buffers())` |
//! | `MACS` | `u64` | multiply-accumulates |
//! | `FLOPS` | `u64` | floating-point operations |
//! | `INPUT_SHAPE`, `OUTPUT_SHAPE` | [`Shape`] | batch first |
//! | `WEIGHT_BYTES` | `u64` | bytes of the parameters |
//! | `ACTIVATION_BYTES` | `u64` | bytes of every activation tensor at once |
//! | `PEAK_MEMORY_BYTES` | `u64` | weights plus the most activation bytes alive at once |
//! | `MEMORY_ACCESS_BYTES` | `u64` | bytes read and written by all layers |
//! | `ARITHMETIC_INTENSITY` | `f64` | `FLOPS / MEMORY_ACCESS_BYTES` |
//! | `ACTIVE_PARAMS` | `u64` | parameters one token uses (a mixture of experts counts `k` of its `E` experts; otherwise `PARAMS`) |
//! | `KV_CACHE_BYTES` | `u64` | bytes of KV cache held after a cached step (0 without `cached`) |
//! | `PRECISION` | [`Precision`] | the dtypes of weights and activations |
//! | `REPORT` | [`Report`] | all of the above together |
//!
//! and `summary()` (with the default `std` feature): a [`Summary`] table with every layer's
//! path, kind, output shape, params, MACs, share of the total, output bytes, memory traffic and
//! FLOPs per byte, and the memory figures below it. Blocks get [`ModelCost`] only: their cost
//! depends on the input they are given.
//!
//! **In generic code** the same figures are the [`Model`] trait's consts, and `summary()` is
//! [`ModelSummary`]'s (both in the prelude). `ResNet18::MACS` names the inherent const and
//! `M::MACS` the trait's, with the same value, so the two never clash:
//!
//! ```
//! use nncost::prelude::*;
//!
//! /// Parameters plus MACs of any model.
//! const fn work<M: Model>() -> u64 {
//!     M::PARAMS + M::MACS
//! }
//!
//! /// Any model's table, with its name and peak memory first.
//! fn report<M: Model>() -> String {
//!     format!("{}: peak {} B\n{}", M::NAME, M::PEAK_MEMORY_BYTES, M::summary())
//! }
//!
//! network! {
//!     #[input(16)]
//!     model Mlp { fc: Linear::new(4) }
//! }
//! assert_eq!(work::<Mlp>(), Mlp::PARAMS + Mlp::MACS);
//! assert!(report::<Mlp>().starts_with("Mlp: peak "));
//! ```
//!
//! ## Budgets
//!
//! `#[budget(figure <= limit, ..)]` on a model, or [`assert_budget!`] for any model type
//! (including a generic instance such as `MobileNetV2<100>`):
//!
//! ```compile_fail
//! use nncost::prelude::*;
//! network! {
//!     #[input(3, 224, 224)]
//!     #[budget(macs <= 50M)] // error: Big: MACs 86.7 M exceed the budget 50.0 M (+73%): ..
//!     model Big { conv: Conv2d::new(64, 3).padding(1) }
//! }
//! ```
//!
//! Figures: `params`, `active_params`, `buffers`, `all_buffers`, `macs`, `flops` (counts) and
//! `weights`, `activations`, `peak_memory`, `memory_access`, `kv_cache` (bytes, see
//! [Memory](#memory)). Units: `K M G T` are powers of
//! 1000 for counts; `B KB MB GB TB` powers of 1000 and `KiB MiB GiB TiB` powers of 1024 for
//! bytes (`weights <= 4MiB`); decimals are allowed (`1.5G`, `0.5MiB`) when the result is a whole
//! number; a limit may also be any `u64` const expression (`macs <= 2 * BASE_MACS`). A violation fails `cargo check` and `cargo build` with the model,
//! the figure, both numbers exact and rounded, and the overshoot, at the budget in your source:
//!
//! ```text
//! error[E0080]: evaluation panicked: ResNet18: MACs 1.81 G exceed the budget 1.50 G (+21%): 1,814,073,344 > 1,500,000,000
//!   --> src/main.rs:4:25
//!    |
//!  4 |     #[budget(params <= 12M, macs <= 1.5G)]
//!    |                             ^^^^^^^^^^^^ evaluation of `<ResNet18 as nncost::Model>::REPORT` failed here
//! ```
//!
//! Two budgets take a device profile (see [Devices and latency](#devices-and-latency)):
//! `latency(DEVICE) <= 5ms` (units `s`, `ms`, `us` or `µs`, `ns`; or a [`Time`] const) limits
//! the model's roofline time on the device, and `fits(DEVICE)` checks that its weights fit the
//! device's flash (or RAM) and its peak memory its RAM:
//!
//! ```compile_fail
//! use nncost::prelude::*;
//! network! {
//!     #[input(3, 224, 224)]
//!     // error: Big does not fit STM32H743: weights 2.24 MiB exceed its flash 2.00 MiB (+12%): ..
//!     #[budget(fits(nncost::devices::STM32H743), latency(nncost::devices::STM32H743) <= 1s)]
//!     model Big { conv: Conv2d::new(64, 3).padding(1), pool: AdaptiveAvgPool2d::new(1, 1), flatten: Flatten, fc: Linear::new(9_000) }
//! }
//! ```
//!
//! A generic model whose cost does not depend on its parameters (none of its layers, costed
//! types, input, batch, dtypes, budgets or output mentions them: a burn model generic over its
//! backend) is evaluated once where it is defined, so `cargo check` fails on a violated budget
//! or a shape error even if nothing uses the model; every instance reads that evaluation.
//! Budgets on a model whose cost does depend on its parameters are checked for each instance
//! that is used (its figures, its summary, or an `assert_budget!`, which also checks the
//! declared budgets). [`const_assert!`] checks any other const condition, such as
//! `const_assert!(ResNet18::MACS < 10 * MobileNetV2::MACS)`; a comparison that fails shows
//! both sides, grouped as above:
//!
//! ```text
//! error[E0080]: evaluation panicked: const_assert!(Net::MACS == 56_510_401) failed: 56,510,400 != 56,510,401
//! ```
//!
//! ## Exports, diffs and charts
//!
//! The numbers leave the compiler through [`Summary`] (feature `std`, the default):
//!
//! - [`export`]: the per-layer rows and the totals as JSON (feature `serde`, a
//!   [versioned schema](export#json-schema)), CSV and Markdown; cut at a depth
//!   ([`Summary::depth`], torchinfo's `depth`) and with identical repeated blocks folded
//!   ([`Summary::fold`]: `layer3.1–35 ×35`); MACs by operator beside `FlopCounterMode`'s
//!   `get_flop_counts()` ([`export::Snapshot::operators_markdown`]).
//! - [`diff`]: two models, or a model against a report saved from the base branch, with every
//!   figure's delta and the layers that changed, as text or a Markdown PR comment, and a CI
//!   recipe.
//! - `chart` (feature `chart`): SVG bars of MACs and traffic per layer, and a roofline under a
//!   device's peak FLOP/s and bandwidth.
//!
//! ```
//! use nncost::prelude::*;
//! network! {
//!     #[input(64)]
//!     model Mlp { blocks: [{ fc: Linear::new(64), act: GELU }; 4], head: Linear::new(10) }
//! }
//! let summary = Mlp::summary().fold();
//! assert!(summary.to_markdown().contains("| `blocks.0–3` ×4 | Sequential | [1, 64] | 16,640 | 16,640 |"));
//! assert!(summary.to_csv().starts_with("path,kind,depth,group,repeat,flags,output,params,"));
//! ```
//!
//! ## Memory
//!
//! A model's memory figures are bytes at its dtypes: `#[dtype(weights = int8, activations = f16)]`,
//! or `#[dtype(f16)]` for both; what is left out is f32, PyTorch's default.
//!
//! ```
//! use nncost::prelude::*;
//! network! {
//!     #[input(3, 32, 32)]
//!     #[dtype(weights = int8, activations = f16)]
//!     #[budget(weights <= 1KiB, peak_memory <= 64KiB)]
//!     model Quant {
//!         conv: Conv2d::new(8, 3).padding(1),
//!         relu: ReLU,
//!     }
//! }
//! // 8·3·9 + 8 = 224 parameters, a byte each.
//! assert_eq!(Quant::WEIGHT_BYTES, 224);
//! // The input (3·32·32 values) and two tensors of 8·32·32, two bytes a value.
//! assert_eq!(Quant::ACTIVATION_BYTES, 2 * (3_072 + 2 * 8_192));
//! // The most alive at once: the ReLU's input and output.
//! assert_eq!(Quant::PEAK_MEMORY_BYTES, 224 + 2 * (2 * 8_192));
//! // The conv reads its input and weights and writes its output; the ReLU reads and writes.
//! assert_eq!(Quant::MEMORY_ACCESS_BYTES, (2 * 3_072 + 224 + 2 * 8_192) + 2 * (2 * 8_192));
//! ```
//!
//! | dtype | bytes a value |
//! |---|---|
//! | `f64` | 8 |
//! | `f32` (default), `int32` | 4 |
//! | `f16`, `bf16`, `int16` | 2 |
//! | `fp8`, `int8` | 1 |
//! | `int4` | ½: two values a byte, `n` values take `⌈n / 2⌉` bytes |
//!
//! A dtype may also be any const expression of type [`DType`], e.g. for a model generic over
//! quantization: `#[dtype(weights = if Q { DType::Int8 } else { DType::F32 })]`. A misspelt name
//! is an error at it, with a suggestion. Blocks and models nested in a model are counted at the
//! dtypes of the outermost model.
//!
//! ```compile_fail
//! use nncost::prelude::*;
//! network! {
//!     #[input(16)]
//!     #[dtype(weights = int9)] // error: unknown dtype `int9` (help: did you mean `int8`?)
//!     model Net { fc: Linear::new(4) }
//! }
//! ```
//!
//! **The execution model** behind the figures: inference on one device, one layer at a time, in
//! declaration order (branches one after another, in order).
//!
//! - A *tensor* is the model's input, a layer's output or a merge's output. Layers do not run in
//!   place: an activation writes a new tensor, as PyTorch's default `inplace=False` (a runtime
//!   that runs them in place needs less). *Views* write nothing and share their input's memory:
//!   `Flatten`, `Identity`, `Dropout` and `StochasticDepth` (the identity in inference), an
//!   identity `Projection`, and the shape operations (`Reshape`, `Unflatten`, `Transpose`,
//!   `Permute`, `Select`, `Narrow`). A `Parameter` or `Buffer` entry is weights or state, not
//!   an activation: it writes nothing either, and whatever reads it (a merge, an `IndexSelect`)
//!   reads it at the activation dtype.
//! - A *merge* (a residual's add, the end of `concat`, `add`, `mul` or `matmul` branches) is one
//!   operation after the last branch: it reads every branch's output and writes one tensor. A
//!   broadcasting `add` or `mul` reads each operand at its own size (no expanded copy).
//! - A tensor is freed right after its last reader has run: a residual's input stays alive until
//!   the shortcut has run (with an identity shortcut, until the add), a branched input until the
//!   last branch, and branch outputs until their merge.
//! - A layer is one kernel: it reads its input and its weights once and writes its output once
//!   (the compulsory traffic of the roofline model, as with a cache that holds its working set).
//!   Its internal temporaries, such as im2col buffers or attention scores (as in a fused,
//!   FlashAttention-style kernel), are not counted.
//! - In a step over a KV cache (`#[input(tokens = T, cached = P)]`), a layer with a cache also
//!   reads its `P` cached positions and writes its `T` new ones, and the caches stay alive for
//!   the whole step (see [LLM inference](#llm-inference-prefill-decode-and-the-kv-cache)); a
//!   mixture of experts reads the weights of the experts its tokens run through.
//!
//! | figure (budget) | meaning |
//! |---|---|
//! | `WEIGHT_BYTES` (`weights`) | `PARAMS ×` the weight dtype's size. BatchNorm's running statistics are not counted: in inference they fold with its weight and bias into the scale and shift `PARAMS` counts |
//! | `ACTIVATION_BYTES` (`activations`) | the input plus every tensor, all allocated at once: a runtime that preallocates each tensor and never reuses memory |
//! | `PEAK_MEMORY_BYTES` (`peak_memory`) | `WEIGHT_BYTES` plus the most activation bytes alive at once: while a layer runs its input and output are alive, with every tensor kept for a later reader (plus `KV_CACHE_BYTES` in a cached step) |
//! | `MEMORY_ACCESS_BYTES` (`memory_access`) | Σ over layers and merges of inputs read + weights read + outputs written: an add of two `N·C·H·W` tensors moves `3·N·C·H·W·size` bytes. A BatchNorm reads its folded scale and shift (`2·C` values), an `Embedding` one table row per index, a tied `Linear` the shared matrix, a `PositionEmbedding` the rows of the positions present |
//! | `ARITHMETIC_INTENSITY` | `FLOPS / MEMORY_ACCESS_BYTES`: below a device's FLOPs per byte of bandwidth, a model (or, in the summary, a layer) is bound by memory rather than compute |
//! | `KV_CACHE_BYTES` (`kv_cache`) | the KV cache held after a cached step, in the cache dtype; its reads and writes are part of `MEMORY_ACCESS_BYTES` (see [LLM inference](#llm-inference-prefill-decode-and-the-kv-cache)) |
//!
//! Activations are in the activation dtype (an `Embedding`'s indices too), weights in the weight
//! dtype; each tensor, and each layer's weights, is rounded up to whole bytes. Arithmetic is
//! checked: a figure that does not fit in `u64` is a compile error naming the figure and the
//! layer.
//!
//! The reference models at f32, batch 1, 224×224 (`examples/resnet18.rs` and
//! `examples/mobilenet_v2.rs` assert them):
//!
//! | model | `WEIGHT_BYTES` | `ACTIVATION_BYTES` | `PEAK_MEMORY_BYTES` | `MEMORY_ACCESS_BYTES` |
//! |---|---|---|---|---|
//! | ResNet-18 | 46,758,048 (44.6 MiB) | 32,821,152 (31.3 MiB) | 53,180,576 (50.7 MiB) | 115,507,264 (110 MiB) |
//! | MobileNetV2 | 14,019,488 (13.4 MiB) | 79,324,832 (75.7 MiB) | 23,653,280 (22.6 MiB) | 172,928,576 (165 MiB) |
//!
//! ResNet-18's peak is at its first BatchNorm (conv1's output and its own, 2 × 64×112×112
//! values, next to the weights); MobileNetV2's at the BatchNorm after stage 2's expansion to
//! 96×112×112. With int8 weights ResNet-18's `WEIGHT_BYTES` is 11,689,512, with int4 5,844,756.
//! Its arithmetic intensity is 31.5 FLOPs per byte, MobileNetV2's 3.6: on the same hardware
//! MobileNetV2 does 6× fewer FLOPs but moves more bytes.
//!
//! Among the Python tools, torchinfo estimates sizes from parameters and module outputs, and
//! torchstat reports per-module reads and writes (`MemR+W`) by the same input + weights +
//! output rule; both see modules only, so residual adds and concatenations written as functions
//! are missing, and neither gives a peak under an execution order. fvcore, thop, ptflops and
//! `FlopCounterMode` report no memory.
//!
//! ## Devices and latency
//!
//! A [`Device`] profile is const data: peak operations per second per dtype, for plain
//! arithmetic and for a matrix engine (tensor cores, a neural engine), memory bandwidth, RAM,
//! and flash on microcontrollers. [`devices`] has eleven built-in profiles from datacenter GPUs
//! to microcontrollers, each value with its public source; define your own with the same const
//! constructor:
//!
//! ```
//! use nncost::prelude::*;
//! use nncost::{devices::RASPBERRY_PI_5, Device, Peaks, Time};
//!
//! /// A board of mine: 2 GFLOP/s at f32, 8 GOP/s at int8, 4 GB/s, 512 KiB RAM, 2 MiB flash.
//! const BOARD: Device = Device::new("Board", Peaks::new(2e9).int8(8e9), 4e9, 512 << 10)
//!     .flash(2 << 20);
//!
//! network! {
//!     #[input(1, 49, 10)]
//!     #[dtype(int8)]
//!     #[budget(fits(BOARD), latency(BOARD) <= 20ms, latency(RASPBERRY_PI_5) <= 100us)]
//!     model Kws {
//!         conv: Conv2d::new(64, 3).stride(2).padding(1),
//!         relu: ReLU,
//!         pool: AdaptiveAvgPool2d::new(1, 1),
//!         flatten: Flatten,
//!         fc: Linear::new(12),
//!     }
//! }
//!
//! // The same roofline as a value, at compile time or at run time:
//! const ON_BOARD: nncost::Roofline = nncost::roofline_of::<Kws>(&BOARD);
//! assert!(ON_BOARD.time < Time::from_millis(20));
//! // And per layer, with what bounds each (`summary().on(&DEVICE)`):
//! println!("{}", Kws::summary().on(&BOARD));
//! ```
//!
//! **The roofline.** Each layer and merge is one kernel. Its compute time is its `2 × MACS` at
//! the device's matrix peak plus its other FLOPs (bias adds, norms, activations, softmax) at
//! its vector peak; its memory time is its bytes moved (`MEMORY_ACCESS_BYTES`'s per-layer
//! traffic) at the device's bandwidth; it takes the larger of the two, and is compute- or
//! memory-bound accordingly. The model takes the sum over its kernels. Times are whole
//! picoseconds ([`Time`]), computed with integers in `const fn`s, so budgets compare exactly.
//!
//! **At which peak.** The multiply-accumulates run in the *compute dtype* ([`compute_dtype`]):
//! the wider of the weight and activation dtypes when both are integers or both floats, and the
//! float one when they differ: `int8` weights with `f16` activations (weight-only quantization)
//! dequantize and run in f16, `int8` with `int8` run in int8, `int4` with `int8` in int8.
//! Elementwise work runs in the activation dtype on the vector units. A device without a rate
//! for a dtype runs it at the next wider one it has (`fp8 → f16`, `int4 → int8 → f16 → f32`,
//! `bf16 → f32`).
//!
//! **A lower bound.** The roofline assumes peak arithmetic and full bandwidth in every kernel,
//! perfect reuse (each tensor and weight moved once), no launch or framework overhead and no
//! gap between kernels. Real inference is slower. One caveat: the built-in profiles bound
//! memory traffic by main memory; a layer whose data already sits in a cache (small
//! activations handed from layer to layer on a CPU) can move it faster. A profile with cache
//! levels ([`Device::cache`]) counts that: every byte at the first level's bandwidth at best,
//! and what does not fit a level at the next one's. The README's validation times real
//! inference (candle, on the CPU of the machine this project runs on) against the roofline of
//! a profile measured on that machine: every case came out at or above it. A profile's
//! [`Device::efficiency`] factors scale its peaks to what you measure.
//!
//! | budget | passes when |
//! |---|---|
//! | `latency(DEVICE) <= t` | the model's roofline time on `DEVICE` is at most `t` |
//! | `fits(DEVICE)` | `WEIGHT_BYTES` fits the device's flash if it has one, else its RAM; and what must be in RAM at the peak fits its RAM: `PEAK_MEMORY_BYTES` less the weights when they stay in flash (as TFLM and ST's tools run them in place), else all of it |
//!
//! ## Sequence models
//!
//! Sequences are `[N, L, D]` (batch, positions, features), batch first throughout, as PyTorch's
//! `batch_first=True`. A language model takes token ids: `#[input(tokens = L)]` makes the input
//! `[N, L]` integer ids, which must go into an [`Embedding`](layers::Embedding) first (anything
//! else is a compile error at `tokens = L`). A pre-norm transformer, LLaMA-style:
//!
//! ```
//! use nncost::prelude::*;
//!
//! const VOCAB: Embedding = Embedding::new(32_000, 512);
//!
//! network! {
//!     /// A gated MLP (SwiGLU): `down(silu(gate(x)) * up(x))`.
//!     pub block SwiGlu<const D: u64, const HIDDEN: u64> {
//!         mul {
//!             gate: { proj: Linear::new(HIDDEN).bias(false), act: SiLU },
//!             up: Linear::new(HIDDEN).bias(false),
//!         },
//!         down: Linear::new(D).bias(false),
//!     }
//!
//!     /// A pre-norm block: `x + attn(norm(x))`, then `x + mlp(norm(x))`. For post-norm, put
//!     /// the norm after each `residual { .. }` instead.
//!     pub block Block<const D: u64, const H: u64> {
//!         residual {
//!             attn_norm: RMSNorm::new(D),
//!             attn: MultiheadAttention::new(D, H).kv_heads(2).bias(false).causal(true),
//!         },
//!         residual {
//!             mlp_norm: RMSNorm::new(D),
//!             mlp: SwiGlu<D, 1408>,
//!         },
//!     }
//!
//!     #[input(tokens = 256)]
//!     #[budget(params <= 60M)]
//!     pub model TinyLm {
//!         embed: VOCAB,
//!         layers: [Block<512, 8>; 8],
//!         norm: RMSNorm::new(512),
//!         lm_head: Linear::tied(VOCAB), // the embedding's weight: no new parameters
//!     }
//! }
//!
//! assert_eq!(TinyLm::INPUT_SHAPE, Shape::new(&[1, 256]));
//! assert_eq!(TinyLm::OUTPUT_SHAPE, Shape::new(&[1, 256, 32_000]));
//! let attn = 2 * 512 * 512 + 2 * 512 * 128; // q, out: 512×512; k, v: 512×(2 heads × 64)
//! let block = 2 * 512 + attn + 3 * 512 * 1408;
//! assert_eq!(TinyLm::PARAMS, 32_000 * 512 + 8 * block + 512);
//! ```
//!
//! | piece | layers |
//! |---|---|
//! | embeddings | [`Embedding`](layers::Embedding), [`PositionEmbedding`](layers::PositionEmbedding) (a learned table added), [`ClassToken`](layers::ClassToken) (learned tokens concatenated) |
//! | attention | [`MultiheadAttention`](layers::MultiheadAttention) (self; cross with `.kv_len(S)`, `.kdim`, `.vdim`; grouped-query with `.kv_heads(G)`; the options of [LLM inference](#attention-options)), [`ScaledDotProductAttention`](layers::ScaledDotProductAttention) (after a fused `q‖k‖v` projection), [`LatentAttention`](layers::LatentAttention) (DeepSeek's MLA), [`RotaryEmbedding`](layers::RotaryEmbedding), `matmul { .. }` for products written by hand |
//! | state space | [`Mamba`](layers::Mamba) (Hugging Face's `MambaMixer`) |
//! | recurrent | [`RNN`](layers::RNN), [`LSTM`](layers::LSTM), [`GRU`](layers::GRU) (`.num_layers`, `.bidirectional`, `.bias`) |
//! | norms, activations | [`LayerNorm`](layers::LayerNorm), [`RMSNorm`](layers::RMSNorm), [`GELU`](layers::GELU), [`SiLU`](layers::SiLU), [`Softmax::new(dim)`](layers::Softmax) |
//! | shape operations (free) | [`Reshape`](layers::Reshape), [`Unflatten`](layers::Unflatten), [`Transpose`](layers::Transpose), [`Permute`](layers::Permute), [`Select`](layers::Select) (keep the class token: `Select::new(1, 0)`), [`Narrow`](layers::Narrow), [`Flatten`](layers::Flatten); sizes of any integer type, so a block's `u64` consts go in as they are (`Unflatten::new(-1, [H, D / H])`); [`Roll`](layers::Roll) is a copy |
//!
//! **Attention.** MACs are the projections (as `Linear`) plus `QKᵀ` and `AV`, each
//! `N·H·L·S·d` for `H` heads of size `d`, `L` queries and `S` keys: what `FlopCounterMode`
//! measures on `nn.MultiheadAttention` when the products run through
//! `scaled_dot_product_attention` (the fixtures' cases, matched exactly). FLOPs are
//! `2 × MACs`, plus the bias adds, plus 6 per attention score (1 for the `1/√d` scaling, 5 for
//! the softmax), plus 1 per score for a causal mask. Counters that hook modules or traced ops
//! miss the products elsewhere: thop reports 0 for `nn.MultiheadAttention`, torchinfo lists the
//! projections but not the two products, fvcore skips fused attention ops it has no handle for.
//!
//! **Causal masking** does not reduce MACs: `.causal(true)` counts the full `L×S` products, which
//! is what a dense kernel computes before masking and what `FlopCounterMode` reports for
//! `scaled_dot_product_attention(.., is_causal=True)` (its formula ignores the mask); the mask
//! itself adds 1 FLOP per score. FlashAttention-style kernels skip the masked tiles and do about
//! half the work on long sequences; no Python counter models that, and neither does nncost.
//!
//! **Weight tying.** [`Linear::tied(EMBEDDING)`](layers::Linear::tied) is a linear layer whose
//! weight is that embedding's table (GPT-2's `lm_head`): its parameters are counted once, where
//! the embedding stands, and its MACs where it runs. Pass the same const value as the embedding
//! layer (as `VOCAB` above) so the sizes agree; the input's width is checked against it. thop
//! counts a shared weight twice; `sum(p.numel() for p in model.parameters())` counts it once, as
//! nncost.
//!
//! **Recurrent layers** count `gates × H × (I + H)` MACs per step, layer and direction (the
//! input and hidden products of every gate; `FlopCounterMode` cannot see inside PyTorch's fused
//! RNN kernels and reports 0). GPT-2 small is in the zoo (`nncost::zoo::Gpt2<SEQ>`, feature `zoo`):
//! 124,439,808 parameters and 11,173,625,856 MACs at 128 tokens, exact.
//!
#![doc = include_str!("docs/llm.md")]
//!
//! ## Conventions
//!
//! Python counters disagree because they count different things. nncost states each figure:
//!
//! | figure | nncost counts | the Python tools |
//! |---|---|---|
//! | `PARAMS` | learnable parameters, PyTorch's `sum(p.numel() for p in model.parameters())`; a shared weight once | torchinfo and fvcore agree; ptflops counts only `requires_grad` parameters; thop sums per module, so shared modules count twice |
//! | `BUFFERS` | floating-point buffers: BatchNorm's running mean and variance, `FrozenBatchNorm2d`'s four tensors, float [`Buffer`](layers::Buffer)s; PyTorch's `sum(b.numel() for b in model.buffers() if b.is_floating_point())` | rarely reported (torchinfo folds them into its size estimate); burn's `num_params()` counts them with the parameters, `PARAMS + BUFFERS` (see [`frameworks`]) |
//! | `ALL_BUFFERS` | every buffer: `BUFFERS` plus integer ones (each BatchNorm's `num_batches_tracked`, index tables such as Swin's `relative_position_index`, `position_ids`); exactly `sum(b.numel() for b in model.buffers())` | what you print in Python |
//! | `MACS` | multiply-accumulates of convolutions (transposed ones over *input* positions), linear layers, matrix products, attention's `QKᵀ` and `AV` (every score of the product over the keys present), recurrent gates, a mixture's router and the `k` experts of each token; one multiply-add is 1 | equal to torchvision's `_ops` and fvcore's "flops" on conv/linear; fvcore adds BatchNorm, ptflops and thop add BN, activations, pooling and adds; FlopCounterMode reports 2 per MAC |
//! | `FLOPS` | `2 × MACS`, plus bias adds and elementwise work (norms, activations, pooling, residual adds), one rule per layer, written in each layer's docs | no tool counts elementwise work consistently |
//! | `WEIGHT_BYTES`, `ACTIVATION_BYTES`, `PEAK_MEMORY_BYTES`, `MEMORY_ACCESS_BYTES` | bytes at the declared dtypes under a stated execution model (see [Memory](#memory)) | torchinfo estimates sizes from parameters and module outputs; torchstat reports per-module reads and writes; neither counts adds or concatenations written as functions, nor a peak |
//!
//! For ResNet-50 at 224×224 the tools say 4.089 G (torchvision), 4.112 G (fvcore, adds
//! BatchNorm), 4.132 G (ptflops), 4.134 G (thop) and 8.178 G (FlopCounterMode, 2 per MAC);
//! nncost's `MACS` is torchvision's 4,089,184,256.
//!
//! **Mixtures of experts and `FlopCounterMode`.** Hugging Face's transformers (5.x) run MoE
//! experts through a grouped matmul by default (`experts_implementation="grouped_mm"`), for
//! which `FlopCounterMode` has no rule: the experts' MACs silently vanish from its total, 35–55 %
//! of the MACs of Qwen-MoE and DeepSeek-V2-Lite. Count with
//! `model.set_experts_implementation("batched_mm")` (or `"eager"`) to compare with nncost, which
//! counts the router and the `k` experts every token runs through. For attention, compare with
//! the eager implementation: masks never reduce `FlopCounterMode`'s count, nor nncost's (see
//! [visible pairs](#counting-attention-dense-products-and-visible-pairs)).
//!
//! Layers, their shape formulas and their FLOPs rules are in [`layers`]. nncost counts
//! inference: BatchNorm folds into a scale and a shift (2 FLOPs per element), dropout is free.
//!
//! ## Errors
//!
//! Mistakes are compile errors at your tokens, never a macro panic: a syntax error at the
//! offending token (several at once), a shape error at the layer entry with its full path and
//! the numbers, a bad builder argument at the builder call:
//!
//! ```compile_fail
//! use nncost::prelude::*;
//! network! {
//!     #[input(3, 32, 32)]
//!     model Net {
//!         flatten: Flatten,
//!         conv: Conv2d::new(8, 3), // error: Net.conv (Conv2d): expects 4-D input [N, C, H, W], got [1, 3072]
//!     }
//! }
//! ```
//!
//! ## Features
//!
//! - `std` (default): [`Summary`] and `summary()`, [`export`] (CSV, Markdown) and [`diff`].
//!   Without it the crate is `no_std`; every const works the same.
//! - `std` also gives [`RooflineSummary`] (`summary().on(&DEVICE)`); the device profiles,
//!   [`roofline`] and the device budgets work without it.
//! - `serde` (off): JSON export and import of reports, with
//!   [serde](https://serde.rs) and [serde_json](https://docs.rs/serde_json), the ecosystem's
//!   serialization framework and its reference JSON implementation.
//! - `chart` (off): SVG charts, written by hand with no dependency (the `chart` module says
//!   why not plotters).
//! - `zoo` (off): `nncost::zoo`, CNNs in torchvision's layouts (AlexNet, VGG, ResNet,
//!   ResNeXt, Wide ResNet, SqueezeNet, MobileNetV2, MnasNet, MobileNetV3-Large, RegNetY-800MF,
//!   EfficientNetV2-S, ConvNeXt-S), torchvision's ResNet-50-FPN detection backbone and
//!   DeepLabV3-MobileNetV3-Large, GPT-2, CLIP ViT-B/32 and Whisper-tiny in Hugging Face's
//!   layouts and YOLOv8n in ultralytics', and the LLMs in Hugging Face's (Llama 3 8B, Mistral
//!   7B, Mixtral 8x7B, Qwen2.5-0.5B, Mamba-130m), each asserted exact against the reference
//!   params, MACs, buffers and output shapes at compile time.
//!
//! [`frameworks`] (no feature needed) is the guide to using nncost with burn and candle, with
//! the run-time count checks and a prelude free of their names.
//!
//! The arithmetic lives in [`nncost_core`] (`no_std`, no dependencies); the macros only emit
//! data and calls into it. Generated code refers to nncost through the path of the invocation,
//! so renaming the dependency works.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

#[cfg(feature = "chart")]
pub mod chart;
#[cfg(feature = "std")]
pub mod diff;
#[cfg(feature = "std")]
pub mod export;
#[cfg(feature = "std")]
mod format;
#[cfg(feature = "std")]
mod roofline;
#[cfg(feature = "std")]
mod summary;

#[cfg(feature = "std")]
pub use roofline::{RooflineRow, RooflineSummary};
#[cfg(feature = "std")]
pub use summary::{ModelSummary, Summary};

#[cfg(feature = "zoo")]
pub mod zoo;

pub mod frameworks;

#[cfg(doc)]
pub mod example_generated;

pub use nncost_core::layers;
pub use nncost_core::{
    compute_dtype, devices, roofline, roofline_of, Bound, Cache, Device, DeviceBudget, DeviceCheck,
    Kernel, Peaks, Roofline, Time, TimeUnit,
};
pub use nncost_core::{
    evaluate, Budget, Cost, Entry, Figure, Graph, Layer, Merge, Model, ModelCost, ModelError, Node,
    Report, Row, Shape, Tensors, Unit, ROUTING_FLOPS_PER_SCORE,
};
pub use nncost_core::{
    evaluate_at, evaluate_in, CacheUse, DType, Memory, Mixture, Phase, Precision,
};

/// Derives [`ModelCost`] for a struct (and [`Model`] with `#[nncost(input(..))]`); see
/// [the crate docs](crate#deriving-modelcost).
///
/// ```
/// use nncost::prelude::*;
///
/// #[derive(ModelCost)]
/// #[nncost(input(16))]
/// struct Mlp {
///     #[layer(Linear::new(32))]
///     fc1: Vec<f32>,
///     #[layer(ReLU)]
///     act: (),
///     #[layer(Linear::new(4))]
///     fc2: Vec<f32>,
/// }
/// assert_eq!(Mlp::PARAMS, 16 * 32 + 32 + 32 * 4 + 4);
/// ```
pub use nncost_macros::ModelCost;

/// Everything a declaration needs: `use nncost::prelude::*;`.
///
/// ```
/// use nncost::prelude::*;
/// let conv: Layer = Conv2d::new(8, 3).into_layer();
/// assert_eq!(conv.kind(), "Conv2d");
/// ```
pub mod prelude {
    pub use crate::layers::*;
    pub use crate::{network, Layer, Model, ModelCost, Shape};
    // `M::summary()` in generic code.
    #[cfg(feature = "std")]
    pub use crate::ModelSummary;
    // For dtypes chosen by an expression: `#[dtype(weights = if Q { DType::Int8 } else { DType::F32 })]`.
    pub use crate::DType;
}

/// Declares models and blocks; see [the crate docs](crate#declaring-networks-with-network).
///
/// ```
/// use nncost::prelude::*;
/// network! {
///     #[input(16)]
///     model Mlp { fc1: Linear::new(32), act: GELU, fc2: Linear::new(4) }
/// }
/// assert_eq!(Mlp::PARAMS, 16 * 32 + 32 + 32 * 4 + 4);
/// ```
#[macro_export]
macro_rules! network {
    ($($tokens:tt)*) => {
        $crate::__private::network_impl! { [$crate] $($tokens)* }
    };
}

/// Expands to a model's `summary()`, or to nothing without the `std` feature: generated code
/// (`network!`, `#[derive(ModelCost)]`) calls it, since a proc macro cannot see this crate's
/// features.
#[cfg(feature = "std")]
#[doc(hidden)]
#[macro_export]
macro_rules! __summary_fn {
    () => {
        /// The per-layer table of this model: path, kind, output shape, params, MACs, share,
        /// output bytes, memory traffic and FLOPs per byte, then the totals.
        pub fn summary() -> $crate::Summary {
            $crate::Summary::of::<Self>()
        }
    };
}

/// Expands to nothing: `summary()` needs the `std` feature.
#[cfg(not(feature = "std"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __summary_fn {
    () => {};
}

/// Budgets for any model type, checked at compile time (`cargo check` fails over budget).
///
/// ```
/// use nncost::prelude::*;
/// network! {
///     #[input(3, 8, 8)]
///     model Small<const C: u64> { conv: Conv2d::new(C, 3) }
/// }
/// nncost::assert_budget!(Small<16>: params <= 1K, macs <= 100K);
/// ```
#[macro_export]
macro_rules! assert_budget {
    ($($tokens:tt)*) => {
        $crate::__private::assert_budget_impl! { [$crate] $($tokens)* }
    };
}

/// A compile-time assertion on any const condition (`cargo check` fails when it is false).
///
/// ```
/// use nncost::prelude::*;
/// network! {
///     #[input(4)]
///     model A { fc: Linear::new(4) }
///     #[input(4)]
///     model B { fc: Linear::new(40) }
/// }
/// nncost::const_assert!(A::MACS * 10 == B::MACS);
/// nncost::const_assert!(A::PARAMS < B::PARAMS && B::PARAMS < 1_000);
/// ```
///
/// A comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`) of two integers (or floats, `bool`s,
/// `char`s) shows both values when it fails, grouped as budget messages are:
///
/// ```compile_fail
/// # use nncost::prelude::*;
/// # network! { #[input(4)] model A { fc: Linear::new(4) } }
/// nncost::const_assert!(A::MACS == 17);
/// // error[E0080]: evaluation panicked: const_assert!(A::MACS == 17) failed: 16 != 17
/// ```
///
/// Any other condition (`&&`, a `const fn` call) fails with the condition alone.
#[macro_export]
macro_rules! const_assert {
    ($($tokens:tt)*) => {
        // In parentheses, so that the proc macro can hand the condition on as it was written.
        $crate::__private::const_assert_impl! { [$crate] ($($tokens)*) }
    };
}

/// `const_assert!` of a condition that is not a comparison: `assert!` in a const.
#[doc(hidden)]
#[macro_export]
macro_rules! __const_assert_plain {
    ($condition:expr $(,)?) => {
        // The text as an argument, not the format string: a condition may contain braces.
        const _: () = ::core::assert!(
            $condition,
            "{}",
            ::core::concat!("const_assert!(", ::core::stringify!($condition), ") failed")
        );
    };
}

#[doc(hidden)]
pub mod __private {
    pub use nncost_core::{
        check_budget, check_output, check_token_input, evaluate_at, evaluate_in, evaluate_inputs,
        fault_entry, unwrap_report, Budget, Entry, Figure, Merge, Model, ModelCost, ModelError,
        Node, Report, Shape, Unit,
    };
    pub use nncost_core::{check_comparison, Comparison};
    pub use nncost_core::{check_device_budget, DeviceBudget, TimeUnit};
    pub use nncost_core::{DType, Phase, Precision, Tensors};
    pub use nncost_macros::{assert_budget_impl, const_assert_impl, network_impl};
    // Glob-imported around every layer expression, so that nncost's layer names win there.
    pub use nncost_core::layers;
    // Names no user has in scope, for generated paths spanned at the user's tokens: with
    // `Model`, `ModelCost`, `DType` or `Node` imported (the prelude imports some),
    // `__nncost::Model` would trip `unused_qualifications` in a crate that denies it.
    pub use nncost_core::{
        DType as NncostDType, Entry as NncostEntry, Graph as NncostGraph, Keep as NncostKeep,
        Merge as NncostMerge, Mixture as NncostMixture, Model as NncostModel,
        ModelCost as NncostModelCost, Node as NncostNode, Output as NncostOutput,
        Read as NncostRead, Wiring as NncostWiring,
    };

    pub use crate::__const_assert_plain as const_assert_plain;
    pub use crate::__summary_fn as summary_fn;

    #[cfg(feature = "std")]
    pub use crate::Summary;
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
