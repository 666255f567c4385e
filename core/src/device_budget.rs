//! Budgets against a device: `latency(DEVICE) <= 5ms` (the roofline time) and `fits(DEVICE)`
//! (weights in its weight memory, the peak in its RAM), checked in consts like every budget.

use crate::budget::parse_scaled_or;
use crate::device::Device;
use crate::fmt::{Message, UnitSystem};
use crate::model::Report;
use crate::node::Node;
use crate::roofline::{roofline_in, Roofline};
use crate::time::{Time, TimeUnit};

/// What a [`DeviceBudget`] checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviceCheck {
    /// `latency(DEVICE) <= limit`: the model's roofline time on the device is at most `limit`.
    Latency {
        /// The limit, exact.
        limit: Time,
        /// The number and unit as written, and why they are not a valid limit; reported by
        /// [`check_device_budget`] instead of a comparison.
        invalid: Option<(&'static str, TimeUnit, &'static str)>,
    },
    /// `fits(DEVICE)`: the weights fit the device's weight memory (its flash if it has one,
    /// else its RAM) and what must be in RAM at the peak fits its RAM (`PEAK_MEMORY_BYTES`,
    /// less the weights when they stay in flash).
    Fits,
    /// `tokens_per_s(DEVICE) >= limit`: a step over a KV cache processes its tokens
    /// ([`Report::step_tokens`]) at least `limit` times a second at its roofline time (an
    /// upper bound on the real rate, as the time is a lower bound).
    TokensPerSecond {
        /// The limit in thousandths of a token per second, exact.
        milli: u64,
        /// The number as written and why it is not a valid limit; reported by
        /// [`check_device_budget`] instead of a comparison.
        invalid: Option<(&'static str, &'static str)>,
    },
}

/// A budget against a device profile: `latency(DEVICE) <= limit` or `fits(DEVICE)`.
///
/// ```
/// use nncost_core::{devices::STM32H743, DeviceBudget, DeviceCheck, Time, TimeUnit};
/// let b = DeviceBudget::latency(STM32H743, "1.5", TimeUnit::Ms);
/// assert_eq!(b.check, DeviceCheck::Latency { limit: Time::from_micros(1_500), invalid: None });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceBudget {
    /// The device.
    pub device: Device,
    /// What is checked against it.
    pub check: DeviceCheck,
}

/// Why a latency limit is not whole picoseconds.
const FINER_THAN_PICOS: &str = "finer than a picosecond, the unit latencies are counted in";

/// Why a rate limit is not whole thousandths.
const FINER_THAN_MILLI: &str =
    "finer than a thousandth of a token per second, the unit rates are counted in";

impl DeviceBudget {
    /// `latency(device) <= number unit`, the number as written (`"1.5"`, `"250"`), exact in
    /// picoseconds; an invalid number makes [`check_device_budget`] fail saying why.
    pub const fn latency(device: Device, number: &'static str, unit: TimeUnit) -> DeviceBudget {
        let (limit, invalid) =
            match parse_scaled_or(number.as_bytes(), unit.picos(), FINER_THAN_PICOS) {
                Ok(picos) => (Time::from_picos(picos), None),
                Err(why) => (Time::MAX, Some((number, unit, why))),
            };
        DeviceBudget {
            device,
            check: DeviceCheck::Latency { limit, invalid },
        }
    }

    /// `latency(device) <= limit`, with the limit given as a [`Time`] (`latency(D) <= BUDGET`).
    ///
    /// ```
    /// use nncost_core::{devices::L4, DeviceBudget, Time, TimeUnit};
    /// let by_value = DeviceBudget::latency_within(L4, Time::from_millis(5));
    /// assert_eq!(by_value, DeviceBudget::latency(L4, "5", TimeUnit::Ms));
    /// ```
    pub const fn latency_within(device: Device, limit: Time) -> DeviceBudget {
        DeviceBudget {
            device,
            check: DeviceCheck::Latency {
                limit,
                invalid: None,
            },
        }
    }

    /// `tokens_per_s(device) >= number`, the number as written (`"20"`, `"12.5"`), exact to a
    /// thousandth of a token per second; an invalid number makes [`check_device_budget`] fail
    /// saying why.
    ///
    /// ```
    /// use nncost_core::{devices::H100_SXM, DeviceBudget, DeviceCheck};
    /// let b = DeviceBudget::tokens_per_s(H100_SXM, "12.5");
    /// assert_eq!(b.check, DeviceCheck::TokensPerSecond { milli: 12_500, invalid: None });
    /// ```
    pub const fn tokens_per_s(device: Device, number: &'static str) -> DeviceBudget {
        let (milli, invalid) = match parse_scaled_or(number.as_bytes(), 1_000, FINER_THAN_MILLI) {
            Ok(milli) => (milli, None),
            Err(why) => (u64::MAX, Some((number, why))),
        };
        DeviceBudget {
            device,
            check: DeviceCheck::TokensPerSecond { milli, invalid },
        }
    }

    /// `tokens_per_s(device) >= tokens`, a whole number of tokens per second given as a value
    /// (`tokens_per_s(D) >= MIN_RATE`).
    ///
    /// ```
    /// use nncost_core::{devices::L4, DeviceBudget};
    /// assert_eq!(DeviceBudget::tokens_per_s_at_least(L4, 20), DeviceBudget::tokens_per_s(L4, "20"));
    /// ```
    pub const fn tokens_per_s_at_least(device: Device, tokens: u64) -> DeviceBudget {
        DeviceBudget {
            device,
            check: DeviceCheck::TokensPerSecond {
                milli: tokens.saturating_mul(1_000),
                invalid: None,
            },
        }
    }

    /// `fits(device)`.
    pub const fn fits(device: Device) -> DeviceBudget {
        DeviceBudget {
            device,
            check: DeviceCheck::Fits,
        }
    }

    /// The violation message if the model (`report`, structure `node`) is over the budget, or
    /// `None`. A latency budget evaluates the model's roofline on the device (one more pass).
    ///
    /// ```
    /// use nncost_core::{devices::STM32L476, evaluate, layers::Linear, DeviceBudget, Entry, Node, Shape};
    /// const SMALL: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(128).into_layer()))]);
    /// const LARGE: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(512).into_layer()))]);
    /// let input = Shape::input(1, &[1024]);
    /// let fits = DeviceBudget::fits(STM32L476);
    /// // 131,200 f32 weights: 524,800 bytes of the 1 MiB of flash.
    /// let small = evaluate("Small", &SMALL, input).unwrap();
    /// assert!(fits.violation(&small, &SMALL).is_none());
    /// let large = evaluate("Large", &LARGE, input).unwrap();
    /// assert_eq!(
    ///     fits.violation(&large, &LARGE).unwrap().as_str(),
    ///     "Large does not fit STM32L476: weights 2.00 MiB exceed its flash 1.00 MiB (+100%): \
    ///      2,099,200 > 1,048,576 bytes"
    /// );
    /// ```
    pub const fn violation(&self, report: &Report, node: &Node) -> Option<Message> {
        match self.check {
            DeviceCheck::Latency { limit, invalid } => {
                if let Some((number, unit, why)) = invalid {
                    let mut m = Message::new();
                    m.push_str(report.name);
                    m.push_str(": the budget limit `");
                    m.push_str(number);
                    m.push_str(unit.name());
                    m.push_str("` for the latency on ");
                    m.push_str(self.device.name);
                    m.push_str(" is ");
                    m.push_str(why);
                    return Some(m);
                }
                self.latency_violation(report, node, limit)
            }
            DeviceCheck::Fits => self.fits_violation(report),
            DeviceCheck::TokensPerSecond { milli, invalid } => {
                if let Some((number, why)) = invalid {
                    let mut m = Message::new();
                    m.push_str(report.name);
                    m.push_str(": the budget limit `");
                    m.push_str(number);
                    m.push_str("` for the tokens per second on ");
                    m.push_str(self.device.name);
                    m.push_str(" is ");
                    m.push_str(why);
                    return Some(m);
                }
                self.rate_violation(report, node, milli)
            }
        }
    }

    /// The model's roofline on the device, in the model's phase.
    const fn roofline(&self, report: &Report, node: &Node) -> Result<Roofline, Message> {
        match roofline_in(
            report.name,
            node,
            report.inputs.shapes(),
            report.precision,
            report.phase,
            &self.device,
        ) {
            Ok(r) => Ok(r),
            // Unreachable after the report evaluated; say what went wrong all the same.
            Err(error) => Err(error.message()),
        }
    }

    const fn rate_violation(&self, report: &Report, node: &Node, limit: u64) -> Option<Message> {
        let tokens = report.step_tokens();
        if tokens == 0 {
            let mut m = Message::new();
            m.push_str(report.name);
            m.push_str(": `tokens_per_s(");
            m.push_str(self.device.name);
            m.push_str(")` needs a step over a KV cache, whose tokens it counts: declare the model with `#[input(tokens = T, cached = P)]` (a decode step: `tokens = 1`)");
            return Some(m);
        }
        let r = match self.roofline(report, node) {
            Ok(r) => r,
            Err(m) => return Some(m),
        };
        let rate = milli_tokens_per_second(tokens, r.time);
        if rate >= limit {
            return None;
        }
        let mut m = Message::new();
        m.push_str(report.name);
        m.push_str(": ");
        if report.phase.is_prefill() {
            m.push_str("prefill");
        } else {
            m.push_str("decode");
        }
        m.push_str(" on ");
        m.push_str(self.device.name);
        m.push_str(" of at most ");
        m.push_thousandths(rate);
        m.push_str(" tokens/s is below the budget ");
        m.push_thousandths(limit);
        m.push_str(" tokens/s (-");
        // The shortfall, rounded to a whole percent (at least 1).
        let short = (limit - rate) as u128 * 100;
        let pct = (short + limit as u128 / 2) / limit as u128;
        m.push_u64(if pct == 0 { 1 } else { pct as u64 });
        m.push_str("%): ");
        m.push_grouped(tokens);
        m.push_str(if tokens == 1 { " token" } else { " tokens" });
        m.push_str(" a step of at least ");
        m.push_time(r.time);
        m.push_str(" (roofline lower bound: ");
        m.push_time(r.compute_bound);
        m.push_str(" in compute-bound kernels, ");
        m.push_time(r.memory_bound());
        m.push_str(" in memory-bound ones)");
        Some(m)
    }

    const fn latency_violation(
        &self,
        report: &Report,
        node: &Node,
        limit: Time,
    ) -> Option<Message> {
        let r = match self.roofline(report, node) {
            Ok(r) => r,
            Err(m) => return Some(m),
        };
        if r.time.as_picos() <= limit.as_picos() {
            return None;
        }
        let mut m = Message::new();
        m.push_str(report.name);
        m.push_str(": latency on ");
        m.push_str(self.device.name);
        m.push_str(" of at least ");
        m.push_time(r.time);
        m.push_str(" exceeds the budget ");
        m.push_time(limit);
        m.push_str(" (");
        m.push_overshoot(r.time.as_picos(), limit.as_picos());
        m.push_str("): ");
        m.push_grouped(r.time.as_picos());
        m.push_str(" > ");
        m.push_grouped(limit.as_picos());
        m.push_str(" ps (roofline lower bound: ");
        m.push_time(r.compute_bound);
        m.push_str(" in compute-bound kernels, ");
        m.push_time(r.memory_bound());
        m.push_str(" in memory-bound ones)");
        Some(m)
    }

    const fn fits_violation(&self, report: &Report) -> Option<Message> {
        let device = &self.device;
        let weights = report.memory.weights;
        let (weight_memory, capacity) = device.weight_memory();
        // With flash, the weights stay there: RAM holds the activations alive at the peak.
        let (in_ram, what_in_ram, verb) = if device.flash > 0 {
            (
                report.memory.peak - weights,
                "activations at the peak",
                "exceed",
            )
        } else {
            (report.memory.peak, "peak memory", "exceeds")
        };
        let weights_fit = weights <= capacity;
        let ram_fits = in_ram <= device.ram;
        if weights_fit && ram_fits {
            return None;
        }
        let mut m = Message::new();
        m.push_str(report.name);
        m.push_str(" does not fit ");
        m.push_str(device.name);
        m.push_str(": ");
        if !weights_fit {
            push_over(
                &mut m,
                "weights",
                "exceed",
                weights,
                weight_memory,
                capacity,
            );
        }
        // Weights over a RAM that also holds them: the peak is over too, said once.
        let same_memory = device.flash == 0 && !weights_fit;
        if !ram_fits && !same_memory {
            if !weights_fit {
                m.push_str("; ");
            }
            push_over(&mut m, what_in_ram, verb, in_ram, "RAM", device.ram);
        }
        Some(m)
    }
}

/// Thousandths of a token per second: `tokens` in `time`, rounded down (`u64::MAX` for a step
/// that takes no time).
///
/// ```
/// use nncost_core::{milli_tokens_per_second, Time};
/// assert_eq!(milli_tokens_per_second(1, Time::from_millis(40)), 25_000); // 25 tokens/s
/// assert_eq!(milli_tokens_per_second(3, Time::from_secs(7)), 428); // 0.428..
/// ```
pub const fn milli_tokens_per_second(tokens: u64, time: Time) -> u64 {
    let picos = time.as_picos();
    if picos == 0 {
        return u64::MAX;
    }
    // tokens · 10¹² ps/s · 10³ ‰, in u128: at most 2⁶⁴ · 2⁵⁰.
    let milli = tokens as u128 * 1_000_000_000_000_000 / picos as u128;
    if milli > u64::MAX as u128 {
        u64::MAX
    } else {
        milli as u64
    }
}

/// Whether a capacity reads best in binary units: some power of 1024 times less than 1024
/// (`1 << 20`, `128 << 10`; not `80_000_000_000`, a whole number of KiB but sold as 80 GB).
const fn is_binary(mut bytes: u64) -> bool {
    if bytes == 0 || !bytes.is_multiple_of(1024) {
        return false;
    }
    while bytes.is_multiple_of(1024) && bytes >= 1024 {
        bytes /= 1024;
    }
    bytes < 1024
}

/// `weights 44.6 MiB exceed its flash 2.00 MiB (+2130%): 46,758,048 > 2,097,152 bytes`, in
/// binary units for a binary capacity ([`is_binary`]), else decimal ones.
const fn push_over(
    m: &mut Message,
    what: &str,
    verb: &str,
    value: u64,
    memory: &str,
    capacity: u64,
) {
    let units = if is_binary(capacity) {
        UnitSystem::BinaryBytes
    } else {
        UnitSystem::DecimalBytes
    };
    m.push_str(what);
    m.push_str(" ");
    m.push_human(value, units);
    m.push_str(" ");
    m.push_str(verb);
    m.push_str(" its ");
    m.push_str(memory);
    m.push_str(" ");
    m.push_human(capacity, units);
    m.push_str(" (");
    m.push_overshoot(value, capacity);
    m.push_str("): ");
    m.push_grouped(value);
    m.push_str(" > ");
    m.push_grouped(capacity);
    m.push_str(" bytes");
}

/// Fails (a compile error at the caller's span) when the model (`report`, structure `node`) is
/// over `budget`.
///
/// ```should_panic
/// use nncost_core::{check_device_budget, devices::STM32L476, evaluate, layers::Linear, DeviceBudget, Entry, Node, Shape};
/// const NET: Node = Node::Seq(&[Entry::new("fc", Node::Layer(Linear::new(1024).into_layer()))]);
/// let report = evaluate("Net", &NET, Shape::input(1, &[1024])).unwrap();
/// // panics: "Net does not fit STM32L476: weights 4.00 MiB exceed its flash 1.00 MiB (+300%): .."
/// check_device_budget(&report, &NET, DeviceBudget::fits(STM32L476));
/// ```
#[track_caller]
pub const fn check_device_budget(report: &Report, node: &Node, budget: DeviceBudget) {
    if let Some(m) = budget.violation(report, node) {
        panic!("{}", m.as_str());
    }
}
