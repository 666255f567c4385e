//! Generic access: every figure and the summary through the `Model` trait, next to the
//! inherent consts of the same names (which stay what `Net::MACS` names, with no ambiguity).
use nncost::prelude::*;
use nncost::{Report, Summary};

network! {
    #[input(3, 32, 32)]
    #[dtype(weights = int8, activations = f16)]
    pub model Net {
        conv: Conv2d::new(8, 3).padding(1),
        relu: ReLU,
        pool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(10),
    }
}

/// A derived model: the derive generates the same inherent consts.
#[derive(ModelCost)]
#[nncost(input(16))]
pub struct Mlp {
    #[layer(Linear::new(32))]
    pub fc: (),
}

/// The example, verbatim.
fn f<M: Model>() -> u64 {
    M::PARAMS + M::MACS
}

/// Figures in a `const fn` (trait consts are usable in const generic code).
const fn fits<M: Model>(limit: u64) -> bool {
    M::PEAK_MEMORY_BYTES <= limit
}

/// Every figure through the trait, as a tuple to compare with the inherent consts.
fn figures<M: Model>() -> (u64, u64, u64, u64, u64, u64, u64, u64, f64, Shape, Shape) {
    (
        M::PARAMS,
        M::BUFFERS,
        M::MACS,
        M::FLOPS,
        M::WEIGHT_BYTES,
        M::ACTIVATION_BYTES,
        M::PEAK_MEMORY_BYTES,
        M::MEMORY_ACCESS_BYTES,
        M::ARITHMETIC_INTENSITY,
        M::INPUT_SHAPE,
        M::OUTPUT_SHAPE,
    )
}

fn table<M: Model>() -> Summary {
    M::summary()
}

#[test]
fn the_trait_and_the_inherent_consts_agree() {
    // `Model` is in scope (the prelude), yet `Net::PARAMS` is unambiguous: inherent first.
    let inherent = (
        Net::PARAMS,
        Net::BUFFERS,
        Net::MACS,
        Net::FLOPS,
        Net::WEIGHT_BYTES,
        Net::ACTIVATION_BYTES,
        Net::PEAK_MEMORY_BYTES,
        Net::MEMORY_ACCESS_BYTES,
        Net::ARITHMETIC_INTENSITY,
        Net::INPUT_SHAPE,
        Net::OUTPUT_SHAPE,
    );
    assert_eq!(figures::<Net>(), inherent);
    assert_eq!(<Net as Model>::PRECISION, Net::PRECISION);
    assert_eq!(<Net as Model>::TRAINABLE_PARAMS, Net::TRAINABLE_PARAMS);
    assert_eq!(<Net as Model>::ALL_BUFFERS, Net::ALL_BUFFERS);
    assert_eq!(<Net as Model>::INPUT_SHAPES, Net::INPUT_SHAPES);
    assert_eq!(<Net as Model>::OUTPUT_SHAPES, Net::OUTPUT_SHAPES);
    // conv 8·27 + 8, fc 8·10 + 10; conv 8·32·32·27 MACs, fc 80.
    assert_eq!(f::<Net>(), (224 + 90) + (221_184 + 80));
    assert_eq!(f::<Mlp>(), (16 * 32 + 32) + 16 * 32);
    assert_eq!(<Mlp as Model>::MACS, Mlp::MACS);
    let report: Report = <Net as Model>::REPORT;
    assert_eq!(<Net as Model>::WEIGHT_BYTES, report.memory.weights);
    assert_eq!(<Net as Model>::WEIGHT_BYTES, 224 + 90); // int8
}

// Figures in const generic code, evaluated at compile time.
const _: () = assert!(fits::<Net>(1 << 20));
const _: () = assert!(!fits::<Net>(1_000));

#[test]
fn summary_through_the_trait_is_the_inherent_summary() {
    assert_eq!(table::<Net>().to_string(), Net::summary().to_string());
    assert_eq!(table::<Mlp>().to_string(), Mlp::summary().to_string());
}

// `const_assert!` over trait consts, and comparisons of every operand type that compiled
// before (the comparison form must accept them all).
nncost::const_assert!(<Net as Model>::MACS == Net::MACS);
nncost::const_assert!(1 + 1 == 2);
nncost::const_assert!(2 > 1,);
nncost::const_assert!(u128::MAX > 0);
nncost::const_assert!(-1i8 < 0);
nncost::const_assert!(Net::ARITHMETIC_INTENSITY > 0.5);
nncost::const_assert!(true != false);
nncost::const_assert!('a' < 'b');
nncost::const_assert!(Net::OUTPUT_SHAPE.rank() == 2);
nncost::const_assert!({
    let x = Net::PARAMS;
    x < 1_000
});
