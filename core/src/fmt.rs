//! Numbers and shapes formatted in `const fn`s, for compile-time error messages.
//!
//! Stable Rust cannot `panic!("{}", n)` with an integer in a const; like `const_panic`, nncost
//! writes the text into a fixed buffer and panics with the resulting `&str`.

use crate::shape::Shape;

/// Capacity of a [`Message`] in bytes; longer text is cut with `…`.
pub const MESSAGE_CAPACITY: usize = 1024;

/// Which unit prefixes a number is shown with.
///
/// ```
/// use nncost_core::{Message, UnitSystem};
/// let mut m = Message::new();
/// m.push_human(46_758_048, UnitSystem::BinaryBytes);
/// assert_eq!(m.as_str(), "44.6 MiB");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitSystem {
    /// Counts: K, M, G, T (powers of 1000).
    Count,
    /// Bytes in powers of 1000: kB, MB, GB, TB.
    DecimalBytes,
    /// Bytes in powers of 1024: KiB, MiB, GiB, TiB.
    BinaryBytes,
}

impl UnitSystem {
    const fn base(self) -> u128 {
        match self {
            UnitSystem::BinaryBytes => 1024,
            _ => 1000,
        }
    }

    const fn prefix(self, power: usize) -> &'static str {
        let names: [&str; 5] = match self {
            UnitSystem::Count => ["", " K", " M", " G", " T"],
            UnitSystem::DecimalBytes => [" B", " kB", " MB", " GB", " TB"],
            UnitSystem::BinaryBytes => [" B", " KiB", " MiB", " GiB", " TiB"],
        };
        names[power]
    }
}

/// A text buffer filled by `const fn`s; [`Message::as_str`] gives the text for `panic!`.
///
/// ```
/// use nncost_core::Message;
/// let mut m = Message::new();
/// m.push_str("MACs ");
/// m.push_count(1_814_073_344);
/// assert_eq!(m.as_str(), "MACs 1,814,073,344 (1.81 G)");
/// ```
#[derive(Clone, Copy)]
pub struct Message {
    buf: [u8; MESSAGE_CAPACITY],
    len: usize,
    full: bool,
}

impl Default for Message {
    fn default() -> Self {
        Message::new()
    }
}

impl Message {
    /// An empty message.
    pub const fn new() -> Message {
        Message {
            buf: [0; MESSAGE_CAPACITY],
            len: 0,
            full: false,
        }
    }

    /// The text so far.
    pub const fn as_str(&self) -> &str {
        match core::str::from_utf8(self.buf.split_at(self.len).0) {
            Ok(s) => s,
            Err(_) => "nncost: message was not valid UTF-8",
        }
    }

    /// Appends `s` whole, or `…` and nothing more once the buffer is full.
    pub const fn push_str(&mut self, s: &str) {
        let bytes = s.as_bytes();
        if self.full {
            return;
        }
        if self.len + bytes.len() + 3 > MESSAGE_CAPACITY {
            self.full = true;
            let ellipsis = "…".as_bytes();
            let mut i = 0;
            while i < ellipsis.len() {
                self.buf[self.len] = ellipsis[i];
                self.len += 1;
                i += 1;
            }
            return;
        }
        let mut i = 0;
        while i < bytes.len() {
            self.buf[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
    }

    /// Appends `n` in plain digits.
    ///
    /// ```
    /// # use nncost_core::Message;
    /// let mut m = Message::new();
    /// m.push_u64(1024);
    /// assert_eq!(m.as_str(), "1024");
    /// ```
    pub const fn push_u64(&mut self, n: u64) {
        self.push_digits(n as u128, false);
    }

    /// Appends `n` in plain digits, with a `-` when negative.
    ///
    /// ```
    /// # use nncost_core::Message;
    /// let mut m = Message::new();
    /// m.push_i64(-3);
    /// assert_eq!(m.as_str(), "-3");
    /// ```
    pub const fn push_i64(&mut self, n: i64) {
        if n < 0 {
            self.push_str("-");
        }
        self.push_digits(n.unsigned_abs() as u128, false);
    }

    /// Appends `n` with thousands separators: `1,814,073,344`.
    pub const fn push_grouped(&mut self, n: u64) {
        self.push_digits(n as u128, true);
    }

    pub(crate) const fn push_digits(&mut self, mut n: u128, grouped: bool) {
        let mut tmp = [0u8; 64];
        let mut len = 0;
        let mut digits = 0;
        loop {
            if grouped && digits > 0 && digits % 3 == 0 {
                tmp[len] = b',';
                len += 1;
            }
            tmp[len] = b'0' + (n % 10) as u8;
            len += 1;
            digits += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let mut out = [0u8; 64];
        let mut i = 0;
        while i < len {
            out[i] = tmp[len - 1 - i];
            i += 1;
        }
        match core::str::from_utf8(out.split_at(len).0) {
            Ok(s) => self.push_str(s),
            Err(_) => self.push_str("?"),
        }
    }

    /// Appends `n` to three significant digits with a unit prefix: `1.81 G`, `44.6 MiB`, `714 M`.
    /// Counts below 1000 are exact (`512`); bytes below one kilo show as `512 B`.
    pub const fn push_human(&mut self, n: u64, units: UnitSystem) {
        let base = units.base();
        let value = n as u128;
        let mut power = 0;
        let mut scale: u128 = 1;
        while power < 4 && value >= scale * base {
            scale *= base;
            power += 1;
        }
        if power == 0 {
            self.push_u64(n);
            self.push_str(units.prefix(0));
            return;
        }
        // Three significant digits, rounded half up; step up a prefix when rounding reaches 1000.
        let mut decimals = 2;
        let mut shown = (value * 100 + scale / 2) / scale;
        if shown >= 1000 {
            decimals = 1;
            shown = (value * 10 + scale / 2) / scale;
        }
        if shown >= 1000 {
            decimals = 0;
            shown = (value + scale / 2) / scale;
        }
        if shown >= 1000 && power < 4 {
            power += 1;
            scale *= base;
            decimals = 2;
            shown = (value * 100 + scale / 2) / scale;
        }
        let divisor: u128 = match decimals {
            2 => 100,
            1 => 10,
            _ => 1,
        };
        self.push_digits(shown / divisor, false);
        if decimals > 0 {
            self.push_str(".");
            let frac = shown % divisor;
            if decimals == 2 && frac < 10 {
                self.push_str("0");
            }
            self.push_digits(frac, false);
        }
        self.push_str(units.prefix(power));
    }

    /// Appends an exact count and its rounded form: `1,814,073,344 (1.81 G)`; below 1000, just `512`.
    pub const fn push_count(&mut self, n: u64) {
        self.push_exact_and_human(n, UnitSystem::Count);
    }

    /// Appends an exact value and its rounded form in `units`: `46,758,048 B (44.6 MiB)`.
    pub const fn push_exact_and_human(&mut self, n: u64, units: UnitSystem) {
        self.push_grouped(n);
        match units {
            UnitSystem::Count => {
                if n < 1000 {
                    return;
                }
            }
            _ => {
                self.push_str(" B");
                if n < 1000 {
                    return;
                }
            }
        }
        self.push_str(" (");
        self.push_human(n, units);
        self.push_str(")");
    }

    /// Appends a shape as PyTorch prints its dims: `[1, 64, 56, 56]`.
    pub const fn push_shape(&mut self, shape: &Shape) {
        self.push_str("[");
        let mut i = 0;
        while i < shape.rank() {
            if i > 0 {
                self.push_str(", ");
            }
            self.push_u64(shape.dim(i));
            i += 1;
        }
        self.push_str("]");
    }

    /// Appends how far `value` exceeds `limit`, in percent rounded to nearest: `+21%`
    /// (`+<1%` for less than half a percent, `+∞%` over a limit of 0).
    ///
    /// ```
    /// # use nncost_core::Message;
    /// let mut m = Message::new();
    /// m.push_overshoot(1_814_073_344, 1_500_000_000);
    /// assert_eq!(m.as_str(), "+21%");
    /// ```
    pub const fn push_overshoot(&mut self, value: u64, limit: u64) {
        if limit == 0 {
            self.push_str("+∞%");
            return;
        }
        let over = value.saturating_sub(limit) as u128 * 100;
        let pct = (over + limit as u128 / 2) / limit as u128;
        if pct == 0 {
            self.push_str("+<1%");
            return;
        }
        self.push_str("+");
        self.push_digits(pct, false);
        self.push_str("%");
    }

    /// A quantity counted in thousandths, with one decimal, rounded down: a rate in tokens per
    /// second (`milli_tokens_per_second`).
    ///
    /// ```
    /// # use nncost_core::Message;
    /// let mut m = Message::new();
    /// m.push_thousandths(1_234_567);
    /// assert_eq!(m.as_str(), "1,234.5");
    /// ```
    pub const fn push_thousandths(&mut self, n: u64) {
        self.push_grouped(n / 1_000);
        self.push_str(".");
        self.push_u64(n % 1_000 / 100);
    }
}
