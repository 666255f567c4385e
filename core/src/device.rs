//! Device profiles: peak arithmetic per dtype, memory bandwidth and capacities, and the roofline
//! time of one kernel on them.
//!
//! The built-in profiles are in [`crate::devices`]; a profile of your own is built the same way:
//!
//! ```
//! use nncost_core::{Device, Peaks};
//! /// A board: 1.2 TFLOP/s at f32 (2.4 at f16), 40 TOP/s int8 on its matrix engine,
//! /// 50 GB/s of DRAM, 4 GiB of it.
//! const MY_BOARD: Device = Device::new("My board", Peaks::new(1.2e12).f16(2.4e12), 50e9, 4 << 30)
//!     .matrix(Peaks::NONE.f16(20e12).int8(40e12))
//!     .efficiency(0.7, 0.9); // measured: 70% of peak arithmetic, 90% of peak bandwidth
//! assert_eq!(MY_BOARD.bandwidth, 50_000_000_000);
//! ```

use crate::cost::Cost;
use crate::dtype::{DType, Precision};
use crate::time::Time;

/// Peak operations per second of one way of computing (plain vector units, or a matrix engine
/// such as tensor cores), per dtype; 0 where the device has none. One multiply-accumulate is two
/// operations, as in `FLOPS = 2 × MACS`.
///
/// Built from the f32 peak with [`Peaks::new`] (or from nothing with [`Peaks::NONE`]) and one
/// builder per dtype; rates are given as `f64` (`67e12`) and kept as whole operations per second.
///
/// ```
/// use nncost_core::{DType, Peaks};
/// const P: Peaks = Peaks::new(67e12).f16(133.8e12);
/// assert_eq!(P.f16, 133_800_000_000_000);
/// assert_eq!(P.at(DType::BF16), 0); // none given
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Peaks {
    /// `f64` operations per second.
    pub f64: u64,
    /// `f32` operations per second.
    pub f32: u64,
    /// `f16` operations per second.
    pub f16: u64,
    /// `bf16` operations per second.
    pub bf16: u64,
    /// `fp8` operations per second.
    pub fp8: u64,
    /// `int8` operations per second (also used for `int16`, as on microcontrollers' 16-bit MACs).
    pub int8: u64,
    /// `int4` operations per second.
    pub int4: u64,
}

/// `ops` per second as a whole number, rounded (negative or NaN rates become 0).
const fn whole(ops: f64) -> u64 {
    (ops + 0.5) as u64
}

impl Peaks {
    /// No arithmetic at all: the start of a matrix engine's peaks, `Peaks::NONE.f16(..)`.
    pub const NONE: Peaks = Peaks {
        f64: 0,
        f32: 0,
        f16: 0,
        bf16: 0,
        fp8: 0,
        int8: 0,
        int4: 0,
    };

    /// Peaks with `f32` operations per second; the other dtypes are added with the builders.
    pub const fn new(f32: f64) -> Peaks {
        Peaks::NONE.f32(f32)
    }

    /// Sets the `f64` rate.
    pub const fn f64(mut self, ops_per_second: f64) -> Peaks {
        self.f64 = whole(ops_per_second);
        self
    }

    /// Sets the `f32` rate.
    pub const fn f32(mut self, ops_per_second: f64) -> Peaks {
        self.f32 = whole(ops_per_second);
        self
    }

    /// Sets the `f16` rate.
    pub const fn f16(mut self, ops_per_second: f64) -> Peaks {
        self.f16 = whole(ops_per_second);
        self
    }

    /// Sets the `bf16` rate.
    pub const fn bf16(mut self, ops_per_second: f64) -> Peaks {
        self.bf16 = whole(ops_per_second);
        self
    }

    /// Sets the `fp8` rate.
    pub const fn fp8(mut self, ops_per_second: f64) -> Peaks {
        self.fp8 = whole(ops_per_second);
        self
    }

    /// Sets the `int8` rate.
    pub const fn int8(mut self, ops_per_second: f64) -> Peaks {
        self.int8 = whole(ops_per_second);
        self
    }

    /// Sets the `int4` rate.
    pub const fn int4(mut self, ops_per_second: f64) -> Peaks {
        self.int4 = whole(ops_per_second);
        self
    }

    /// The rate given for `dtype` exactly (no fallback), 0 if none: `int16` reads the `int8`
    /// rate, `int32` has none.
    pub const fn at(&self, dtype: DType) -> u64 {
        match dtype {
            DType::F64 => self.f64,
            DType::F32 => self.f32,
            DType::F16 => self.f16,
            DType::BF16 => self.bf16,
            DType::Fp8 => self.fp8,
            DType::Int16 | DType::Int8 => self.int8,
            DType::Int4 => self.int4,
            DType::Int32 => 0,
        }
    }
}

/// Where a kernel's time goes: its arithmetic at peak, and its memory traffic at full bandwidth.
/// The roofline time is the larger of the two.
///
/// ```
/// use nncost_core::{Bound, Kernel, Time};
/// let k = Kernel { compute: Time::from_micros(3), memory: Time::from_micros(5) };
/// assert_eq!((k.time(), k.bound()), (Time::from_micros(5), Bound::Memory));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Kernel {
    /// The arithmetic at the device's peak (over its efficiency factor).
    pub compute: Time,
    /// The bytes moved at the device's bandwidth (over its efficiency factor).
    pub memory: Time,
}

/// Which limit a kernel meets first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bound {
    /// Arithmetic takes longer than the memory traffic.
    Compute,
    /// The memory traffic takes at least as long as the arithmetic.
    Memory,
}

impl Bound {
    /// `"compute"` or `"memory"`.
    pub const fn name(self) -> &'static str {
        match self {
            Bound::Compute => "compute",
            Bound::Memory => "memory",
        }
    }
}

impl Kernel {
    /// `max(compute, memory)`: the kernel cannot finish before either is done.
    pub const fn time(&self) -> Time {
        self.compute.max(self.memory)
    }

    /// [`Bound::Memory`] when the memory time is at least the compute time, else
    /// [`Bound::Compute`].
    pub const fn bound(&self) -> Bound {
        if self.memory.as_picos() >= self.compute.as_picos() {
            Bound::Memory
        } else {
            Bound::Compute
        }
    }

    /// Whether the kernel does anything at all (a view neither computes nor moves bytes).
    pub const fn is_empty(&self) -> bool {
        self.compute.as_picos() == 0 && self.memory.as_picos() == 0
    }
}

/// One million: efficiency factors are kept in parts per million.
const PPM: u64 = 1_000_000;

/// A device profile: peak arithmetic (plain and matrix paths, per dtype), memory bandwidth,
/// memory capacities and optional achievable-efficiency factors.
///
/// The built-in profiles are in [`crate::devices`], each with its sources. Build your own with
/// [`Device::new`] and the builders; a profile is a const, usable in `latency(..)` and
/// `fits(..)` budgets. [`Device::new`] rejects (a compile error in a const) a profile without an
/// f32 peak or a bandwidth.
///
/// ```
/// use nncost_core::{Device, Peaks};
/// const MCU: Device = Device::new("MCU", Peaks::new(400e6).int8(800e6), 1.6e9, 512 << 10)
///     .flash(2 << 20);
/// assert_eq!((MCU.ram, MCU.flash), (524_288, 2_097_152));
/// assert_eq!(MCU.weight_memory(), ("flash", 2_097_152));
/// ```
///
/// ```compile_fail
/// use nncost_core::{Device, Peaks};
/// // error: the profile `Broken` has no f32 peak: give one with `Peaks::new(..)`
/// const BROKEN: Device = Device::new("Broken", Peaks::NONE, 1e9, 1 << 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Device {
    /// The device's name in messages and tables.
    pub name: &'static str,
    /// Plain arithmetic (CUDA cores, SIMD units, a scalar FPU): elementwise work, and matrix
    /// work where there is no matrix engine.
    pub vector: Peaks,
    /// A matrix engine (tensor cores, a neural engine, dot-product instructions), used for the
    /// multiply-accumulates of conv, linear, matmul, attention and recurrent layers; 0 where
    /// there is none (the vector rate applies).
    pub matrix: Peaks,
    /// Main-memory bandwidth in bytes per second (HBM, DRAM, or an MCU's SRAM).
    pub bandwidth: u64,
    /// Bytes of RAM (HBM, DRAM, SRAM): activations, and weights unless there is flash.
    pub ram: u64,
    /// Bytes of flash holding the weights (microcontrollers run them in place); 0 when the
    /// weights are loaded into RAM.
    pub flash: u64,
    /// The fraction of the peak arithmetic a kernel achieves, in parts per million (100% unless
    /// set with [`Device::efficiency`]).
    pub compute_efficiency: u64,
    /// The fraction of the bandwidth a kernel achieves, in parts per million.
    pub memory_efficiency: u64,
    /// Cache levels in front of main memory, smallest first (unused levels are zero); none
    /// unless set with [`Device::cache`]. See [`Device::memory_time`] for how they count.
    pub caches: [Cache; MAX_CACHES],
}

/// How many cache levels a profile holds.
pub const MAX_CACHES: usize = 3;

/// A cache level: its size, and the bandwidth at which it serves data it holds.
///
/// ```
/// use nncost_core::{Cache, Device, Peaks};
/// let d = Device::new("CPU", Peaks::new(100e9), 20e9, 16 << 30).cache(32 << 20, 100e9);
/// assert_eq!(d.caches[0], Cache { bytes: 32 << 20, bandwidth: 100_000_000_000 });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Cache {
    /// Bytes it holds.
    pub bytes: u64,
    /// Bytes per second it serves.
    pub bandwidth: u64,
}

impl Device {
    /// A profile named `name`: `vector` peaks (at least f32), `bandwidth` in bytes per second,
    /// `ram` in bytes. No matrix engine, no flash, 100% efficiency until the builders say
    /// otherwise.
    #[track_caller]
    pub const fn new(name: &'static str, vector: Peaks, bandwidth: f64, ram: u64) -> Device {
        let device = Device {
            name,
            vector,
            matrix: Peaks::NONE,
            bandwidth: whole(bandwidth),
            ram,
            flash: 0,
            compute_efficiency: PPM,
            memory_efficiency: PPM,
            caches: [Cache {
                bytes: 0,
                bandwidth: 0,
            }; MAX_CACHES],
        };
        device.checked()
    }

    /// Adds a cache level of `bytes` serving `bandwidth` bytes per second (at most three;
    /// levels are kept smallest first). Without caches the memory time is main-memory traffic;
    /// with them a kernel whose data fits a cache may be faster, and the bound says so (see
    /// [`Device::memory_time`]). The built-in profiles have none (vendors publish no cache
    /// bandwidths); a profile measured on a CPU, whose caches hold a layer's whole working
    /// set, needs them to stay a lower bound.
    #[track_caller]
    pub const fn cache(mut self, bytes: u64, bandwidth: f64) -> Device {
        let level = Cache {
            bytes,
            bandwidth: whole(bandwidth),
        };
        let mut i = 0;
        while i < MAX_CACHES && self.caches[i].bytes != 0 {
            i += 1;
        }
        if i == MAX_CACHES {
            fail(self.name, "has more than three cache levels");
        }
        if bytes == 0 || level.bandwidth == 0 {
            fail(self.name, "has a cache level without a size or a bandwidth");
        }
        // Insert in order of size.
        while i > 0 && self.caches[i - 1].bytes > bytes {
            self.caches[i] = self.caches[i - 1];
            i -= 1;
        }
        self.caches[i] = level;
        self
    }

    /// The least time to move `access` bytes: every byte passes through the smallest level
    /// (the first cache, or main memory), and at least `access − C` bytes come from beyond a
    /// level of `C` bytes, at the next level's bandwidth at best. The bound is the largest of
    /// these: `max(access / B₁, (access − C₁) / B₂, …, (access − Cₙ) / B_main)`; without caches,
    /// `access / B_main`. Divided by the memory efficiency, rounded down to picoseconds.
    ///
    /// ```
    /// use nncost_core::{Device, Peaks, Time};
    /// // 10 GB/s of DRAM behind 1 MB of cache serving 100 GB/s.
    /// let d = Device::new("CPU", Peaks::new(1e9), 10e9, 1 << 30).cache(1_000_000, 100e9);
    /// // 500 kB fit the cache: 500 kB at 100 GB/s.
    /// assert_eq!(d.memory_time(500_000), Time::from_micros(5));
    /// // 3 MB: at least 2 MB come from DRAM at 10 GB/s.
    /// assert_eq!(d.memory_time(3_000_000), Time::from_micros(200));
    /// ```
    pub const fn memory_time(&self, access: u64) -> Time {
        let access = access as u128;
        let mut beyond: u128 = access;
        let mut picos_max: u128 = 0;
        let mut i = 0;
        while i < MAX_CACHES && self.caches[i].bytes != 0 {
            let level = self.caches[i];
            let t = picos(beyond, level.bandwidth, self.memory_efficiency);
            if t > picos_max {
                picos_max = t;
            }
            beyond = access.saturating_sub(level.bytes as u128);
            i += 1;
        }
        let t = picos(beyond, self.bandwidth, self.memory_efficiency);
        if t > picos_max {
            picos_max = t;
        }
        Time::saturating(picos_max)
    }

    /// The peaks of a matrix engine (tensor cores, a neural engine, dot-product instructions).
    pub const fn matrix(mut self, matrix: Peaks) -> Device {
        self.matrix = matrix;
        self
    }

    /// Flash of `bytes` that holds the weights (run in place, as on microcontrollers).
    pub const fn flash(mut self, bytes: u64) -> Device {
        self.flash = bytes;
        self
    }

    /// The fractions of peak arithmetic and of bandwidth that kernels achieve, as measured
    /// (e.g. `0.7, 0.9`); each in (0, 1]. Times grow by `1 / fraction`.
    ///
    /// ```
    /// use nncost_core::{Device, Peaks};
    /// let d = Device::new("D", Peaks::new(1e9), 1e9, 1 << 20).efficiency(0.5, 0.8);
    /// assert_eq!((d.compute_efficiency, d.memory_efficiency), (500_000, 800_000));
    /// ```
    #[track_caller]
    pub const fn efficiency(mut self, compute: f64, memory: f64) -> Device {
        self.compute_efficiency = whole(compute * PPM as f64);
        self.memory_efficiency = whole(memory * PPM as f64);
        self.checked()
    }

    /// The profile, or a panic (a compile error in a const) saying what is missing.
    #[track_caller]
    const fn checked(self) -> Device {
        if self.vector.f32 == 0 {
            fail(self.name, "has no f32 peak: give one with `Peaks::new(..)`");
        }
        if self.bandwidth == 0 {
            fail(self.name, "has no memory bandwidth");
        }
        if self.compute_efficiency == 0 || self.compute_efficiency > PPM {
            fail(self.name, "has a compute efficiency outside (0, 1]");
        }
        if self.memory_efficiency == 0 || self.memory_efficiency > PPM {
            fail(self.name, "has a memory efficiency outside (0, 1]");
        }
        self
    }

    /// Where the weights live, and its size: `("flash", bytes)` when the profile has flash,
    /// else `("RAM", bytes)`.
    pub const fn weight_memory(&self) -> (&'static str, u64) {
        if self.flash > 0 {
            ("flash", self.flash)
        } else {
            ("RAM", self.ram)
        }
    }

    /// The peak for `ops` of `dtype` on the matrix engine, following the fallback of
    /// [`compute_dtype`]'s docs: the dtype itself, then wider ones, until the device has a rate
    /// (f32 always has one). At each dtype the faster of the matrix and vector rates applies.
    ///
    /// ```
    /// use nncost_core::{devices::A100_SXM, DType};
    /// // The A100 has no fp8: fp8 work runs at its f16 tensor-core rate.
    /// assert_eq!(A100_SXM.matrix_peak(DType::Fp8), (DType::F16, 312_000_000_000_000));
    /// ```
    pub const fn matrix_peak(&self, dtype: DType) -> (DType, u64) {
        let chain = fallback(dtype);
        let mut i = 0;
        while i < chain.len() {
            let d = chain[i];
            let m = self.matrix.at(d);
            let v = self.vector.at(d);
            let rate = if m > v { m } else { v };
            if rate > 0 {
                return (d, rate);
            }
            i += 1;
        }
        (DType::F32, self.vector.f32)
    }

    /// The peak for elementwise `ops` of `dtype` on the vector units, with the same fallback.
    ///
    /// ```
    /// use nncost_core::{devices::STM32H743, DType};
    /// // A Cortex-M7 has no f16 arithmetic: f16 work runs at its f32 rate.
    /// assert_eq!(STM32H743.vector_peak(DType::F16).0, DType::F32);
    /// ```
    pub const fn vector_peak(&self, dtype: DType) -> (DType, u64) {
        let chain = fallback(dtype);
        let mut i = 0;
        while i < chain.len() {
            let rate = self.vector.at(chain[i]);
            if rate > 0 {
                return (chain[i], rate);
            }
            i += 1;
        }
        (DType::F32, self.vector.f32)
    }

    /// The roofline of one kernel (a layer or a merge) that does `cost` and moves `access`
    /// bytes, at `precision`:
    ///
    /// - compute: `2 × MACs` operations at the matrix peak of the compute dtype
    ///   ([`compute_dtype`]), plus the rest of the FLOPs (`FLOPS − 2 × MACS`: bias adds,
    ///   norms, activations, softmax) at the vector peak of the activation dtype;
    /// - memory: `access` bytes at the bandwidth ([`Device::memory_time`], which also counts
    ///   cache levels when the profile has them);
    ///
    /// each divided by its efficiency factor, in whole picoseconds rounded down (so the time
    /// stays a lower bound).
    ///
    /// ```
    /// use nncost_core::{Cost, Device, Peaks, Precision, Time};
    /// // 1 GFLOP/s, 1 GB/s: a nanosecond per operation and per byte.
    /// const D: Device = Device::new("D", Peaks::new(1e9), 1e9, 1 << 30);
    /// let cost = Cost { macs: 100, flops: 250, ..Cost::ZERO };
    /// let k = D.kernel(&cost, 120, Precision::DEFAULT);
    /// assert_eq!(k.compute, Time::from_nanos(250));
    /// assert_eq!(k.memory, Time::from_nanos(120));
    /// ```
    pub const fn kernel(&self, cost: &Cost, access: u64, precision: Precision) -> Kernel {
        let matrix_ops = cost.macs as u128 * 2;
        let flops = cost.flops as u128;
        let vector_ops = flops.saturating_sub(matrix_ops);
        let compute = if matrix_ops == 0 {
            0
        } else {
            picos(
                matrix_ops,
                self.matrix_peak(compute_dtype(precision)).1,
                self.compute_efficiency,
            )
        };
        let compute = if vector_ops == 0 {
            compute
        } else {
            compute
                + picos(
                    vector_ops,
                    self.vector_peak(precision.activations).1,
                    self.compute_efficiency,
                )
        };
        Kernel {
            compute: Time::saturating(compute),
            memory: self.memory_time(access),
        }
    }
}

/// `amount` at `rate` per second and `efficiency` parts per million, in picoseconds rounded
/// down: `amount · 10¹² · 10⁶ / (rate · efficiency)`. `amount < 2⁶⁵` and the factors below
/// 10¹⁸ keep the product below 2¹²⁸.
const fn picos(amount: u128, rate: u64, efficiency: u64) -> u128 {
    amount * 1_000_000_000_000 * PPM as u128 / (rate as u128 * efficiency as u128)
}

#[track_caller]
const fn fail(name: &str, what: &str) -> ! {
    let mut m = crate::fmt::Message::new();
    m.push_str("the profile `");
    m.push_str(name);
    m.push_str("` ");
    m.push_str(what);
    panic!("{}", m.as_str())
}

/// The dtype the multiply-accumulates of a model at `precision` run in, so the peak they get.
///
/// - Both integer or both float: the wider of the two (`int8` weights with `int8` activations
///   run in int8; `int4` weights with `int8` activations in int8; `f16` with `bf16`: the
///   activations' dtype).
/// - One integer, one float: the float (weight-only quantization, `int8` or `int4` weights
///   with `f16` activations, dequantizes the weights and runs in f16, as GPTQ/AWQ-style kernels
///   and llama.cpp do).
///
/// A device without a rate for that dtype runs it at the next wider one it has:
/// `int4 → int8 → f16 → f32`, `int8/int16 → f16 → f32`, `fp8 → f16 → bf16 → f32`,
/// `bf16 → f32`, `f16 → f32`, `f64 → f32`, `int32 → f32`.
///
/// ```
/// use nncost_core::{compute_dtype, DType, Precision};
/// assert_eq!(compute_dtype(Precision::new(DType::Int8, DType::F16)), DType::F16);
/// assert_eq!(compute_dtype(Precision::new(DType::Int4, DType::Int8)), DType::Int8);
/// assert_eq!(compute_dtype(Precision::DEFAULT), DType::F32);
/// ```
pub const fn compute_dtype(precision: Precision) -> DType {
    let (w, a) = (precision.weights, precision.activations);
    match (is_float(w), is_float(a)) {
        (true, false) => w,
        (false, true) => a,
        _ => {
            if w.bits() > a.bits() {
                w
            } else {
                a
            }
        }
    }
}

const fn is_float(dtype: DType) -> bool {
    matches!(
        dtype,
        DType::F64 | DType::F32 | DType::F16 | DType::BF16 | DType::Fp8
    )
}

/// The dtypes tried for `dtype`, in order (see [`compute_dtype`]).
const fn fallback(dtype: DType) -> &'static [DType] {
    match dtype {
        DType::F64 => &[DType::F64, DType::F32],
        DType::F32 | DType::Int32 => &[DType::F32],
        DType::F16 => &[DType::F16, DType::F32],
        DType::BF16 => &[DType::BF16, DType::F32],
        DType::Fp8 => &[DType::Fp8, DType::F16, DType::BF16, DType::F32],
        DType::Int16 | DType::Int8 => &[DType::Int8, DType::F16, DType::F32],
        DType::Int4 => &[DType::Int4, DType::Int8, DType::F16, DType::F32],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fallback_ends_at_f32() {
        for dtype in DType::ALL {
            let chain = fallback(dtype);
            assert_eq!(chain.last(), Some(&DType::F32), "{dtype:?}");
        }
    }

    #[test]
    fn picos_cannot_overflow() {
        // The largest amount (2·u64::MAX MACs) at the smallest rate and efficiency.
        let worst = picos(2 * u64::MAX as u128, 1, 1);
        assert!(worst > u64::MAX as u128);
        assert_eq!(Time::saturating(worst), Time::MAX);
    }
}
