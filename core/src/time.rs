//! Durations in whole picoseconds: what the roofline computes and what latency budgets limit.
//!
//! Integers rather than `f64`: the arithmetic is exact and the same at compile time and at run
//! time, a budget such as `latency(..) <= 1.5ms` is an exact number (1,500,000,000 ps), and a
//! `u64` of picoseconds still holds 213 days.

use crate::fmt::Message;

/// A duration in whole picoseconds (10⁻¹² s).
///
/// ```
/// use nncost_core::Time;
/// const T: Time = Time::from_micros(1_500);
/// assert_eq!(T.as_picos(), 1_500_000_000);
/// assert_eq!(T.to_string(), "1.50 ms");
/// assert_eq!(Time::from_millis(4).per_second(), 250.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time {
    picos: u64,
}

impl Time {
    /// No time at all.
    pub const ZERO: Time = Time { picos: 0 };
    /// The longest time a `Time` holds (about 213 days); sums saturate here.
    pub const MAX: Time = Time { picos: u64::MAX };

    /// `picos` picoseconds.
    pub const fn from_picos(picos: u64) -> Time {
        Time { picos }
    }

    /// `nanos` nanoseconds (saturating at [`Time::MAX`]).
    pub const fn from_nanos(nanos: u64) -> Time {
        Time::scaled(nanos, 1_000)
    }

    /// `micros` microseconds (saturating at [`Time::MAX`]).
    pub const fn from_micros(micros: u64) -> Time {
        Time::scaled(micros, 1_000_000)
    }

    /// `millis` milliseconds (saturating at [`Time::MAX`]).
    ///
    /// ```
    /// use nncost_core::Time;
    /// assert_eq!(Time::from_millis(5), Time::from_micros(5_000));
    /// ```
    pub const fn from_millis(millis: u64) -> Time {
        Time::scaled(millis, 1_000_000_000)
    }

    /// `secs` seconds (saturating at [`Time::MAX`]).
    pub const fn from_secs(secs: u64) -> Time {
        Time::scaled(secs, 1_000_000_000_000)
    }

    const fn scaled(n: u64, picos_per_unit: u64) -> Time {
        Time::saturating(n as u128 * picos_per_unit as u128)
    }

    /// `picos`, or [`Time::MAX`] when it does not fit.
    pub(crate) const fn saturating(picos: u128) -> Time {
        if picos > u64::MAX as u128 {
            Time::MAX
        } else {
            Time {
                picos: picos as u64,
            }
        }
    }

    /// The duration in picoseconds.
    pub const fn as_picos(self) -> u64 {
        self.picos
    }

    /// The duration in seconds, as `f64`.
    ///
    /// ```
    /// use nncost_core::Time;
    /// assert_eq!(Time::from_millis(250).as_secs_f64(), 0.25);
    /// ```
    pub const fn as_secs_f64(self) -> f64 {
        self.picos as f64 / 1e12
    }

    /// How many times per second something taking this long can run (`1 / seconds`; infinite
    /// for [`Time::ZERO`]). Tokens per second are this of one decode step.
    pub const fn per_second(self) -> f64 {
        1e12 / self.picos as f64
    }

    /// The sum, saturating at [`Time::MAX`].
    ///
    /// ```
    /// use nncost_core::Time;
    /// let t = Time::from_nanos(2).saturating_add(Time::from_picos(500));
    /// assert_eq!(t.as_picos(), 2_500);
    /// assert_eq!(Time::MAX.saturating_add(t), Time::MAX);
    /// ```
    pub const fn saturating_add(self, other: Time) -> Time {
        Time {
            picos: self.picos.saturating_add(other.picos),
        }
    }

    /// The larger of the two.
    pub const fn max(self, other: Time) -> Time {
        if self.picos >= other.picos {
            self
        } else {
            other
        }
    }
}

impl core::fmt::Display for Time {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut m = Message::new();
        m.push_time(*self);
        f.pad(m.as_str())
    }
}

/// A unit a latency budget is written in: `5ms`, `250us` (or `250µs`), `2s`, `800ns`.
///
/// ```
/// use nncost_core::TimeUnit;
/// assert_eq!(TimeUnit::Ms.picos(), 1_000_000_000);
/// assert_eq!(TimeUnit::Us.name(), "µs");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    /// Seconds.
    S,
    /// Milliseconds.
    Ms,
    /// Microseconds (`us` or `µs`).
    Us,
    /// Nanoseconds.
    Ns,
}

impl TimeUnit {
    /// Picoseconds in one unit.
    pub const fn picos(self) -> u64 {
        match self {
            TimeUnit::S => 1_000_000_000_000,
            TimeUnit::Ms => 1_000_000_000,
            TimeUnit::Us => 1_000_000,
            TimeUnit::Ns => 1_000,
        }
    }

    /// The unit's symbol, as messages show it.
    pub const fn name(self) -> &'static str {
        match self {
            TimeUnit::S => "s",
            TimeUnit::Ms => "ms",
            TimeUnit::Us => "µs",
            TimeUnit::Ns => "ns",
        }
    }
}

/// Symbols from picoseconds up, each 1000 times the one before.
const TIME_UNITS: [&str; 5] = [" ps", " ns", " µs", " ms", " s"];

impl Message {
    /// Appends a duration to three significant digits in the largest unit below it: `23.8 ms`,
    /// `512 µs`, `1.00 s`; below a nanosecond in whole picoseconds (`750 ps`); past 1000 s in
    /// whole seconds (`86,400 s`).
    ///
    /// ```
    /// use nncost_core::{Message, Time};
    /// let mut m = Message::new();
    /// m.push_time(Time::from_picos(23_812_345_678));
    /// assert_eq!(m.as_str(), "23.8 ms");
    /// ```
    pub const fn push_time(&mut self, time: Time) {
        let picos = time.as_picos() as u128;
        let mut power = 0;
        let mut scale: u128 = 1;
        while power < 4 && picos >= scale * 1000 {
            scale *= 1000;
            power += 1;
        }
        if power == 0 {
            self.push_digits(picos, false);
            self.push_str(TIME_UNITS[0]);
            return;
        }
        // Three significant digits, rounded half up; a step up in unit when rounding reaches 1000.
        let mut decimals = 2;
        let mut shown = (picos * 100 + scale / 2) / scale;
        if shown >= 1000 {
            decimals = 1;
            shown = (picos * 10 + scale / 2) / scale;
        }
        if shown >= 1000 {
            decimals = 0;
            shown = (picos + scale / 2) / scale;
        }
        if shown >= 1000 && power < 4 {
            power += 1;
            scale *= 1000;
            decimals = 2;
            shown = (picos * 100 + scale / 2) / scale;
        }
        let divisor: u128 = match decimals {
            2 => 100,
            1 => 10,
            _ => 1,
        };
        self.push_digits(shown / divisor, decimals == 0 && power == 4);
        if decimals > 0 {
            self.push_str(".");
            let frac = shown % divisor;
            if decimals == 2 && frac < 10 {
                self.push_str("0");
            }
            self.push_digits(frac, false);
        }
        self.push_str(TIME_UNITS[power]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(picos: u64, expected: &str) {
        let mut m = Message::new();
        m.push_time(Time::from_picos(picos));
        assert_eq!(m.as_str(), expected, "{picos} ps");
    }

    #[test]
    fn times_read_in_the_right_unit() {
        check(0, "0 ps");
        check(999, "999 ps");
        check(1_000, "1.00 ns");
        check(999_499, "999 ns");
        check(999_500, "1.00 µs");
        check(5_000_000_000, "5.00 ms");
        check(23_812_345_678, "23.8 ms");
        check(1_000_000_000_000, "1.00 s");
        check(86_400_000_000_000_000, "86,400 s");
        check(u64::MAX, "18,446,744 s");
    }

    #[test]
    fn construction_saturates() {
        assert_eq!(Time::from_secs(u64::MAX), Time::MAX);
        assert_eq!(Time::from_secs(3).as_picos(), 3_000_000_000_000);
        assert_eq!(Time::saturating(u128::MAX), Time::MAX);
    }
}
