//! Mixtures of experts: a router picks `k` of `E` experts for each token.

use crate::node::Entry;

/// FLOPs per router score (`E` per token): the softmax that turns the router's logits into
/// weights (max, subtract, exp, sum, divide, as [`Softmax`](crate::layers::Softmax)). Picking the
/// top `k` and renormalising them are comparisons and `k` divides per token, not counted.
///
/// ```
/// use nncost_core::ROUTING_FLOPS_PER_SCORE;
/// assert_eq!(ROUTING_FLOPS_PER_SCORE, 5);
/// ```
pub const ROUTING_FLOPS_PER_SCORE: u64 = 5;

/// A mixture of experts (`Node::Mixture`; `moe(experts = E, top_k = k) { .. }` in `network!`), as
/// the sparse MoE blocks of Mixtral, Qwen-MoE and DeepSeek: for each token a **router** scores
/// the `E` **experts**, the token runs through the `k` best, and their outputs are summed with
/// the router's weights. **Shared experts** (DeepSeek, Qwen-MoE) run on every token and are
/// added; a **shared-expert gate** (Qwen-MoE's `shared_expert_gate`, one output per token) scales
/// the shared expert by its sigmoid.
///
/// Every part is a node of its own (a `Linear`, a gated MLP block, ..), applied to the mixture's
/// input. The expert is declared once and counted `E` times where parameters are concerned and
/// `k` times where work is:
///
/// | figure | counted |
/// |---|---|
/// | `PARAMS`, `BUFFERS`, `WEIGHT_BYTES` | router + `E` experts + shared expert + gate: all the weights held |
/// | `ACTIVE_PARAMS` | router + `k` experts + shared expert + gate: the weights one token uses |
/// | `MACS` | router + `k` experts on every token + shared expert + gate |
/// | `FLOPS` | the parts' FLOPs (the expert's `k` times), plus [`ROUTING_FLOPS_PER_SCORE`] per router score, plus per output element `k` multiplies by the routing weights and `k − 1` adds (1 more add for a shared expert; with a gate, a sigmoid per token and 1 multiply per element) |
///
/// **Memory.** The mixture allocates its output, runs the router (whose scores it keeps until
/// the experts are done), then each active expert, the shared expert and its gate, one after
/// another, each adding its weighted output into the output. Traffic: the parts' own, the expert's
/// activations `k` times, and the weights of `min(E, k × tokens)` experts — **assumption**: the
/// `k` experts of each token are distinct and the tokens of a step spread over as many experts
/// as they can, so a batch-1 decode step (one token) reads exactly `k` experts and a long prefill
/// reads all `E`. Then the combine reads the `k` expert outputs (and the shared one) per token
/// and writes the output.
///
/// ```
/// use nncost_core::{evaluate, layers::{Linear, ReLU}, Entry, Mixture, Node, Shape};
/// const EXPERT: Node = Node::Seq(&[
///     Entry::new("up", Node::Layer(Linear::new(16).bias(false).into_layer())),
///     Entry::new("act", Node::Layer(ReLU.into_layer())),
///     Entry::new("down", Node::Layer(Linear::new(8).bias(false).into_layer())),
/// ]);
/// const MOE: Node = Node::Mixture(&Mixture::new(
///     4,
///     2,
///     Entry::new("gate", Node::Layer(Linear::new(4).bias(false).into_layer())),
///     Entry::new("experts", EXPERT),
/// ));
/// let report = evaluate("Moe", &MOE, Shape::new(&[1, 3, 8])).unwrap();
/// let (router, expert) = (8 * 4, 8 * 16 + 16 * 8);
/// assert_eq!(report.cost.params, router + 4 * expert);
/// assert_eq!(report.cost.active_params(), router + 2 * expert);
/// assert_eq!(report.cost.macs, 3 * (router + 2 * expert));
/// ```
#[derive(Clone, Copy, Debug)]
#[must_use = "a mixture does nothing until it is used in a network"]
pub struct Mixture {
    /// `E`: how many experts there are.
    pub experts: u64,
    /// `k`: how many experts each token runs through.
    pub top_k: u64,
    /// The router (Mixtral's and DeepSeek's `gate`): its output has `E` features, one score per
    /// expert.
    pub router: Entry,
    /// One expert; all `E` have its shape. Its output is the mixture's.
    pub expert: Entry,
    /// An expert every token runs through, added to the output (DeepSeek's `shared_experts`,
    /// Qwen-MoE's `shared_expert`).
    pub shared: Option<Entry>,
    /// A gate on the shared expert (Qwen-MoE's `shared_expert_gate`): one output per token,
    /// whose sigmoid scales the shared expert's output.
    pub shared_gate: Option<Entry>,
}

impl Mixture {
    /// `experts` copies of `expert`, `top_k` of them picked per token by `router`.
    #[track_caller]
    pub const fn new(experts: u64, top_k: u64, router: Entry, expert: Entry) -> Mixture {
        Mixture::check(experts, top_k);
        Mixture {
            experts,
            top_k,
            router,
            expert,
            shared: None,
            shared_gate: None,
        }
    }

    /// Panics (a compile error in a const) unless `1 <= top_k <= experts`; what [`Mixture::new`]
    /// checks, for code that builds a `Mixture` as a struct literal (`network!` does, so the
    /// structure stays one constant).
    ///
    /// ```should_panic
    /// nncost_core::Mixture::check(4, 5); // moe: top_k (5) must be at most experts (4)
    /// ```
    #[track_caller]
    pub const fn check(experts: u64, top_k: u64) {
        if experts == 0 {
            panic!("moe: experts must be at least 1, got 0");
        }
        if top_k == 0 {
            panic!("moe: top_k must be at least 1, got 0");
        }
        if top_k > experts {
            let mut m = crate::fmt::Message::new();
            m.push_str("moe: top_k (");
            m.push_u64(top_k);
            m.push_str(") must be at most experts (");
            m.push_u64(experts);
            m.push_str(")");
            panic!("{}", m.as_str());
        }
    }

    /// With a shared expert, run on every token and added.
    ///
    /// ```
    /// use nncost_core::{evaluate, layers::Linear, Entry, Mixture, Node, Shape};
    /// const fn fc(n: u64) -> Node { Node::Layer(Linear::new(n).bias(false).into_layer()) }
    /// const MOE: Node = Node::Mixture(
    ///     &Mixture::new(8, 1, Entry::new("gate", fc(8)), Entry::new("experts", fc(4)))
    ///         .shared(Entry::new("shared_expert", fc(4)))
    ///         .shared_gate(Entry::new("shared_expert_gate", fc(1))),
    /// );
    /// let report = evaluate("Moe", &MOE, Shape::new(&[1, 2, 4])).unwrap();
    /// // Router 4·8, eight experts 4·4, the shared one 4·4 and its gate 4·1.
    /// assert_eq!(report.cost.params, 32 + 8 * 16 + 16 + 4);
    /// assert_eq!(report.cost.active_params(), 32 + 16 + 16 + 4);
    /// ```
    pub const fn shared(mut self, shared: Entry) -> Mixture {
        self.shared = Some(shared);
        self
    }

    /// With a gate on the shared expert: its sigmoid (one value per token) scales it.
    pub const fn shared_gate(mut self, gate: Entry) -> Mixture {
        self.shared_gate = Some(gate);
        self
    }
}
