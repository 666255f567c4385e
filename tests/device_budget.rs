//! Budgets against devices that hold: `latency(DEVICE) <= t` and `fits(DEVICE)` in
//! `#[budget]`, `assert_budget!` and the derive, with every way of writing the limit. (Those that
//! fail are the UI cases in `tests/ui/device`.)

use nncost::devices::{ESP32_S3, H100_SXM, RASPBERRY_PI_5, STM32H743, STM32L476};
use nncost::prelude::*;
use nncost::{roofline_of, Device, DeviceBudget, Peaks, Time, TimeUnit};

/// A board of one's own, the same const constructor as the built-ins.
const BOARD: Device =
    Device::new("Board", Peaks::new(2e9).int8(8e9), 4e9, 256 << 10).flash(1 << 20);

/// A latency limit given as a value.
const FRAME: Time = Time::from_millis(16);

network! {
    /// A keyword-spotting-sized CNN that fits a microcontroller.
    #[input(1, 49, 10)]
    #[dtype(int8)]
    #[budget(
        params <= 100K,
        fits(STM32H743),
        fits(nncost::devices::STM32L476),
        fits(BOARD),
        latency(STM32H743) <= 50ms,
        latency(ESP32_S3) <= 5 ms,
        latency(H100_SXM) <= 250µs,
        latency(H100_SXM) <= 250μs,
        latency(H100_SXM) <= 250us,
        latency(RASPBERRY_PI_5) <= 0.5ms,
        latency(BOARD) <= FRAME,
        latency(BOARD) <= 1s,
        latency(H100_SXM) <= 1_000_000ns,
    )]
    pub model Kws {
        conv1: Conv2d::new(64, 3).kernel_sizes([10, 4]).stride(2).paddings([5, 1]),
        relu1: ReLU,
        conv2: Conv2d::new(64, 3).padding(1),
        relu2: ReLU,
        pool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new(12),
    }

    /// A generic model: device budgets are checked per instance.
    #[input(3, 32, 32)]
    #[budget(fits(STM32L476), latency(STM32L476) <= 2s)]
    pub model Scaled<const C: u64> {
        conv: Conv2d::new(C, 3).padding(1),
        relu: ReLU,
    }
}

network! {
    /// A tiny language model's decode step: one new token over 1,023 cached positions.
    #[input(tokens = 1, cached = 1023)]
    #[budget(tokens_per_s(H100_SXM) >= 1000, tokens_per_s(BOARD) >= 2.5, tokens_per_s(BOARD) >= RATE)]
    pub model TinyDecode {
        wte: Embedding::new(1000, 64),
        attn: MultiheadAttention::new(64, 4).causal(true),
        head: Linear::new(1000),
    }
}

/// A rate limit given as a value: whole tokens per second.
const RATE: u64 = 2;

nncost::assert_budget!(Kws: fits(nncost::devices::NRF52840), latency(STM32L476) <= 1s);
nncost::assert_budget!(TinyDecode: tokens_per_s(STM32H743) >= 1);
nncost::assert_budget!(Scaled<8>: fits(STM32H743), latency(H100_SXM) <= 1ms);

/// The derive takes the same budgets.
#[derive(ModelCost)]
#[nncost(input(64), budget(fits(STM32L476), latency(STM32L476) <= 10ms))]
pub struct Mlp {
    #[layer(Linear::new(128))]
    pub fc1: Vec<f32>,
    #[layer(ReLU)]
    pub act: (),
    #[layer(Linear::new(10))]
    pub fc2: Vec<f32>,
}

#[test]
fn budgets_hold_and_are_what_the_roofline_says() {
    // The budgets above compiled, so each holds; check the numbers they compared.
    let on_h743 = roofline_of::<Kws>(&STM32H743).time;
    assert!(on_h743 <= Time::from_millis(50));
    assert!(roofline_of::<Kws>(&H100_SXM).time <= Time::from_micros(250));
    const { assert!(Kws::WEIGHT_BYTES <= STM32H743.flash) };
    const { assert!(Kws::PEAK_MEMORY_BYTES - Kws::WEIGHT_BYTES <= STM32H743.ram) };
    let _ = Scaled::<8>::PARAMS;
    let _ = Mlp::PARAMS;
}

#[test]
fn budget_values_are_exact() {
    let ms = DeviceBudget::latency(BOARD, "0.5", TimeUnit::Ms);
    assert_eq!(
        ms,
        DeviceBudget::latency_within(BOARD, Time::from_micros(500))
    );
    let big = DeviceBudget::latency(BOARD, "2e6", TimeUnit::S);
    assert_eq!(
        big,
        DeviceBudget::latency_within(BOARD, Time::from_secs(2_000_000))
    );
    // Below a picosecond: invalid, reported when checked.
    let fine = DeviceBudget::latency(BOARD, "0.0001", TimeUnit::Ns);
    let report = Kws::REPORT;
    let message = fine.violation(&report, &<Kws as ModelCost>::NODE).unwrap();
    assert_eq!(
        message.as_str(),
        "Kws: the budget limit `0.0001ns` for the latency on Board is finer than a picosecond, \
         the unit latencies are counted in"
    );
}

#[test]
fn a_latency_violation_states_both_times() {
    let budget = DeviceBudget::latency(STM32L476, "1", TimeUnit::Us);
    let m = budget
        .violation(&Kws::REPORT, &<Kws as ModelCost>::NODE)
        .unwrap();
    let r = roofline_of::<Kws>(&STM32L476);
    let text = m.as_str();
    assert!(
        text.starts_with(&format!(
            "Kws: latency on STM32L476 of at least {} exceeds the budget 1.00 µs (+",
            r.time
        )),
        "{text}"
    );
    assert!(text.contains(&format!("{} > 1,000,000 ps", grouped(r.time.as_picos()))));
    assert!(text.contains("roofline lower bound"), "{text}");
}

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

#[test]
fn fits_compares_flash_and_ram() {
    network! {
        #[input(3, 96, 96)]
        model Wide { conv: Conv2d::new(64, 3).padding(1), relu: ReLU }
    }
    // Weights: 1,792 f32 parameters, 7,168 bytes: they fit any flash. Activations at the peak:
    // the ReLU's input and output, 2 · 64·96·96 · 4 = 4,718,592 bytes, over 1 MiB of RAM.
    let m = DeviceBudget::fits(STM32H743)
        .violation(&Wide::REPORT, &<Wide as ModelCost>::NODE)
        .unwrap();
    assert_eq!(
        m.as_str(),
        "Wide does not fit STM32H743: activations at the peak 4.50 MiB exceed its RAM 1.00 MiB \
         (+350%): 4,718,592 > 1,048,576 bytes"
    );
    // Without flash the whole peak, weights included, must be in RAM.
    const NO_FLASH: Device = Device::new("No flash", Peaks::new(1e9), 1e9, 8 << 20);
    assert!(DeviceBudget::fits(NO_FLASH)
        .violation(&Wide::REPORT, &<Wide as ModelCost>::NODE)
        .is_none());
    const TINY: Device = Device::new("Tiny", Peaks::new(1e9), 1e9, 4_000_000);
    let m = DeviceBudget::fits(TINY)
        .violation(&Wide::REPORT, &<Wide as ModelCost>::NODE)
        .unwrap();
    assert_eq!(Wide::PEAK_MEMORY_BYTES, 4_718_592 + 7_168);
    assert_eq!(
        m.as_str(),
        "Wide does not fit Tiny: peak memory 4.73 MB exceeds its RAM 4.00 MB (+18%): \
         4,725,760 > 4,000,000 bytes"
    );
}

#[test]
fn tokens_per_second_is_the_step_s_tokens_over_its_roofline_time() {
    // One token a step: the rate is one over the roofline time, in thousandths.
    assert_eq!(TinyDecode::REPORT.step_tokens(), 1);
    let step = roofline_of::<TinyDecode>(&BOARD).time;
    let milli = nncost::milli_tokens_per_second(1, step);
    assert_eq!(
        milli as u128,
        1_000_000_000_000_000 / step.as_picos() as u128
    );
    // The budgets above held: at least 2.5 tokens/s on the board.
    assert!(milli >= 2_500);
    // The step reads the cache (1,023 cached keys and values of 64 floats, 4 bytes each) and
    // every weight but the embedding table's, of which it gathers one row.
    let cache_read = 2 * 1_023 * 64 * 4;
    let table = 1_000 * 64 * 4;
    assert!(TinyDecode::MEMORY_ACCESS_BYTES > cache_read + TinyDecode::WEIGHT_BYTES - table);
    // A limit above the rate fails with both rates and the step's time.
    let too_fast = DeviceBudget::tokens_per_s(BOARD, "1000000");
    let text = too_fast
        .violation(&TinyDecode::REPORT, &<TinyDecode as ModelCost>::NODE)
        .unwrap();
    let text = text.as_str();
    let rate = format!("{}.{}", grouped(milli / 1_000), milli % 1_000 / 100);
    assert!(
        text.starts_with(&format!(
            "TinyDecode: decode on Board of at most {rate} tokens/s is below the budget 1,000,000.0 tokens/s (-"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "%): 1 token a step of at least {step} (roofline lower bound: "
        )),
        "{text}"
    );
    // Values and literals agree; a limit finer than a thousandth is refused.
    assert_eq!(
        DeviceBudget::tokens_per_s_at_least(BOARD, 3),
        DeviceBudget::tokens_per_s(BOARD, "3.000")
    );
    let fine = DeviceBudget::tokens_per_s(BOARD, "0.0005")
        .violation(&TinyDecode::REPORT, &<TinyDecode as ModelCost>::NODE)
        .unwrap();
    assert_eq!(
        fine.as_str(),
        "TinyDecode: the budget limit `0.0005` for the tokens per second on Board is finer than \
         a thousandth of a token per second, the unit rates are counted in"
    );
}

#[test]
fn tokens_per_second_needs_a_step_over_a_cache() {
    let m = DeviceBudget::tokens_per_s(H100_SXM, "20")
        .violation(&Kws::REPORT, &<Kws as ModelCost>::NODE)
        .unwrap();
    assert_eq!(
        m.as_str(),
        "Kws: `tokens_per_s(H100 SXM)` needs a step over a KV cache, whose tokens it counts: \
         declare the model with `#[input(tokens = T, cached = P)]` (a decode step: `tokens = 1`)"
    );
}
