//! Element types of weights and activations, and how many bytes a tensor of them takes.

/// The element type of a model's weights or activations.
///
/// Sizes are those of the usual storage formats; [`DType::Int4`] packs two values into a byte,
/// so `n` values take `⌈n / 2⌉` bytes.
///
/// ```
/// use nncost_core::DType;
/// assert_eq!(DType::F32.bytes(11_689_512), Some(46_758_048));
/// assert_eq!(DType::Int8.bytes(11_689_512), Some(11_689_512));
/// assert_eq!(DType::Int4.bytes(3), Some(2)); // two values a byte, rounded up
/// assert_eq!(DType::BF16.name(), "bf16");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DType {
    /// `f64`: 64-bit float (8 bytes).
    F64,
    /// `f32`: 32-bit float (4 bytes), PyTorch's default and nncost's.
    F32,
    /// `f16`: IEEE half precision (2 bytes).
    F16,
    /// `bf16`: bfloat16 (2 bytes).
    BF16,
    /// `fp8`: an 8-bit float such as E4M3 or E5M2 (1 byte).
    Fp8,
    /// `int32`: 32-bit integer (4 bytes).
    Int32,
    /// `int16`: 16-bit integer (2 bytes).
    Int16,
    /// `int8`: 8-bit integer (1 byte), as in post-training quantization.
    Int8,
    /// `int4`: 4-bit integer, two values packed into a byte.
    Int4,
}

impl DType {
    /// Every dtype, in the order of the docs.
    ///
    /// ```
    /// use nncost_core::DType;
    /// assert!(DType::ALL.iter().all(|d| d.bits() % 4 == 0));
    /// ```
    pub const ALL: [DType; 9] = [
        DType::F64,
        DType::F32,
        DType::F16,
        DType::BF16,
        DType::Fp8,
        DType::Int32,
        DType::Int16,
        DType::Int8,
        DType::Int4,
    ];

    /// The name used in `#[dtype(..)]` and in summaries: `"f32"`, `"bf16"`, `"int4"`.
    ///
    /// ```
    /// use nncost_core::DType;
    /// assert_eq!(DType::Int4.name(), "int4");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            DType::F64 => "f64",
            DType::F32 => "f32",
            DType::F16 => "f16",
            DType::BF16 => "bf16",
            DType::Fp8 => "fp8",
            DType::Int32 => "int32",
            DType::Int16 => "int16",
            DType::Int8 => "int8",
            DType::Int4 => "int4",
        }
    }

    /// Bits per value.
    ///
    /// ```
    /// use nncost_core::DType;
    /// assert_eq!(DType::F16.bits(), 16);
    /// ```
    pub const fn bits(self) -> u64 {
        match self {
            DType::F64 => 64,
            DType::F32 | DType::Int32 => 32,
            DType::F16 | DType::BF16 | DType::Int16 => 16,
            DType::Fp8 | DType::Int8 => 8,
            DType::Int4 => 4,
        }
    }

    /// Bytes taken by `n` values: `⌈n · bits / 8⌉`, or `None` if that does not fit in `u64`.
    ///
    /// ```
    /// use nncost_core::DType;
    /// assert_eq!(DType::F32.bytes(3 * 224 * 224), Some(602_112));
    /// assert_eq!(DType::Int4.bytes(5_844_756 * 2 + 1), Some(5_844_757));
    /// assert_eq!(DType::F64.bytes(u64::MAX), None);
    /// ```
    pub const fn bytes(self, n: u64) -> Option<u64> {
        bytes_at(n, self.bits())
    }
}

/// `n` values of `bits` bits (4 or a multiple of 8) in bytes, or `None` on overflow. Int4 packs
/// two values a byte: `⌈n / 2⌉`, which always fits.
pub(crate) const fn bytes_at(n: u64, bits: u64) -> Option<u64> {
    if bits == 4 {
        return Some(n / 2 + n % 2);
    }
    // u128 instead of `checked_mul`: no calls for rustc's const-eval step limit to count.
    let bytes = n as u128 * (bits / 8) as u128;
    if bytes > u64::MAX as u128 {
        None
    } else {
        Some(bytes as u64)
    }
}

/// The dtypes of a model: one for its weights, one for its activations (the tensors flowing
/// between layers), and one for its KV cache (the keys and values, or recurrent state, a cached
/// step keeps; see [`crate::Phase`]). Declared in `network!` with `#[dtype(..)]`; f32 for weights
/// and activations by default, the cache in the activation dtype unless declared
/// (`#[dtype(kv_cache = fp8)]`).
///
/// ```
/// use nncost_core::{DType, Precision};
/// const P: Precision = Precision::new(DType::Int8, DType::F16);
/// assert_eq!(P.weights, DType::Int8);
/// assert_eq!(P.kv_cache, DType::F16); // the activation dtype unless declared
/// assert_eq!(P.kv_cache(DType::Fp8).kv_cache, DType::Fp8);
/// assert_eq!(Precision::DEFAULT, Precision::uniform(DType::F32));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Precision {
    /// The dtype of parameters (and of the folded BatchNorm scale and shift).
    pub weights: DType,
    /// The dtype of the input, every layer's output and every merged tensor.
    pub activations: DType,
    /// The dtype of the KV cache (keys and values kept between decoding steps).
    pub kv_cache: DType,
}

impl Precision {
    /// f32 weights and activations, as a PyTorch model out of the box.
    pub const DEFAULT: Precision = Precision::uniform(DType::F32);

    /// `weights` for parameters, `activations` for tensors (and the KV cache).
    pub const fn new(weights: DType, activations: DType) -> Precision {
        Precision {
            weights,
            activations,
            kv_cache: activations,
        }
    }

    /// One dtype for everything.
    ///
    /// ```
    /// use nncost_core::{DType, Precision};
    /// assert_eq!(Precision::uniform(DType::F16).activations, DType::F16);
    /// ```
    pub const fn uniform(dtype: DType) -> Precision {
        Precision::new(dtype, dtype)
    }

    /// This precision with the KV cache in `kv_cache` (fp8 and int8 caches are common).
    pub const fn kv_cache(mut self, kv_cache: DType) -> Precision {
        self.kv_cache = kv_cache;
        self
    }
}

impl Default for Precision {
    fn default() -> Self {
        Precision::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_up_and_never_overflow_early() {
        // Int4: ⌈n/2⌉ for every n around a multiple of 8.
        for n in 0..40u64 {
            assert_eq!(DType::Int4.bytes(n), Some(n.div_ceil(2)));
            assert_eq!(DType::F16.bytes(n), Some(2 * n));
        }
        // u64::MAX int4 values fit in bytes although n · bits does not fit in u64.
        assert_eq!(DType::Int4.bytes(u64::MAX), Some(u64::MAX / 2 + 1));
        assert_eq!(DType::Int8.bytes(u64::MAX), Some(u64::MAX));
        assert_eq!(DType::F16.bytes(u64::MAX / 2 + 1), None);
    }

    #[test]
    fn every_dtype_is_half_a_byte_or_whole_bytes() {
        // `bytes_at` relies on it.
        for dtype in DType::ALL {
            assert!(dtype.bits() == 4 || dtype.bits() % 8 == 0, "{dtype:?}");
            assert_eq!(dtype.bytes(8), Some(dtype.bits()), "{dtype:?}");
        }
    }
}
