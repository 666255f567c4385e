//! Tensor shapes: a batch dimension followed by channels/features and spatial dims.

use core::fmt;

/// The largest rank a [`Shape`] can hold: batch + channels + 3 spatial dims + 1 spare.
pub const MAX_RANK: usize = 6;

/// A tensor shape, batch first, as PyTorch prints it (`[1, 64, 112, 112]`).
///
/// ```
/// use nncost_core::Shape;
/// const X: Shape = Shape::input(1, &[3, 224, 224]);
/// assert_eq!(X.rank(), 4);
/// assert_eq!(X.numel(), Some(3 * 224 * 224));
/// assert_eq!(X.to_string(), "[1, 3, 224, 224]");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shape {
    dims: [u64; MAX_RANK],
    rank: u8,
}

impl Shape {
    /// The shape of rank 0 (a scalar); also the placeholder of an empty summary row.
    pub const SCALAR: Shape = Shape {
        dims: [0; MAX_RANK],
        rank: 0,
    };

    /// A shape from all its dims, batch included. Panics (at compile time) above [`MAX_RANK`].
    ///
    /// ```
    /// # use nncost_core::Shape;
    /// assert_eq!(Shape::new(&[2, 8, 36]).dim(2), 36);
    /// ```
    #[track_caller]
    pub const fn new(dims: &[u64]) -> Shape {
        if dims.len() > MAX_RANK {
            panic!("nncost: a shape has at most 6 dimensions (batch included)");
        }
        let mut out = Shape::SCALAR;
        let mut i = 0;
        while i < dims.len() {
            out.dims[i] = dims[i];
            i += 1;
        }
        out.rank = dims.len() as u8;
        out
    }

    /// The input of a model: `batch` samples of shape `sample` (channels first).
    ///
    /// ```
    /// # use nncost_core::Shape;
    /// assert_eq!(Shape::input(8, &[3, 32, 32]), Shape::new(&[8, 3, 32, 32]));
    /// ```
    #[track_caller]
    pub const fn input(batch: u64, sample: &[u64]) -> Shape {
        if sample.len() + 1 > MAX_RANK {
            panic!("nncost: an input has at most 5 dimensions besides the batch");
        }
        let mut out = Shape::SCALAR;
        out.dims[0] = batch;
        let mut i = 0;
        while i < sample.len() {
            out.dims[i + 1] = sample[i];
            i += 1;
        }
        out.rank = sample.len() as u8 + 1;
        out
    }

    /// Number of dimensions, batch included.
    ///
    /// ```
    /// # use nncost_core::Shape;
    /// assert_eq!(Shape::new(&[1, 512]).rank(), 2);
    /// ```
    pub const fn rank(&self) -> usize {
        self.rank as usize
    }

    /// Dimension `i` (0 is the batch). Out of range gives 0.
    ///
    /// ```
    /// # use nncost_core::Shape;
    /// assert_eq!(Shape::new(&[1, 512]).dim(1), 512);
    /// ```
    pub const fn dim(&self, i: usize) -> u64 {
        if i < self.rank as usize {
            self.dims[i]
        } else {
            0
        }
    }

    /// The last dimension (features, for `Linear`).
    ///
    /// ```
    /// # use nncost_core::Shape;
    /// assert_eq!(Shape::new(&[2, 7, 35]).last(), 35);
    /// ```
    pub const fn last(&self) -> u64 {
        if self.rank == 0 {
            0
        } else {
            self.dims[self.rank as usize - 1]
        }
    }

    /// All dims as a slice.
    ///
    /// ```
    /// # use nncost_core::Shape;
    /// assert_eq!(Shape::new(&[1, 3]).dims(), &[1, 3]);
    /// ```
    pub const fn dims(&self) -> &[u64] {
        self.dims.split_at(self.rank as usize).0
    }

    /// This shape with dimension `i` replaced by `value` (`i` must be below the rank).
    ///
    /// ```
    /// # use nncost_core::Shape;
    /// assert_eq!(Shape::new(&[1, 3, 8]).with_dim(1, 16), Shape::new(&[1, 16, 8]));
    /// ```
    pub const fn with_dim(self, i: usize, value: u64) -> Shape {
        let mut out = self;
        if i < MAX_RANK {
            out.dims[i] = value;
        }
        out
    }

    /// This shape with `rank` dims, keeping the first ones (new dims are 0).
    ///
    /// ```
    /// # use nncost_core::Shape;
    /// assert_eq!(Shape::new(&[1, 3, 8]).with_rank(2), Shape::new(&[1, 3]));
    /// ```
    pub const fn with_rank(self, rank: usize) -> Shape {
        let mut out = self;
        let mut i = rank;
        while i < MAX_RANK {
            out.dims[i] = 0;
            i += 1;
        }
        out.rank = if rank > MAX_RANK {
            MAX_RANK as u8
        } else {
            rank as u8
        };
        out
    }

    /// Number of elements, or `None` on overflow of `u64`.
    ///
    /// ```
    /// # use nncost_core::Shape;
    /// assert_eq!(Shape::new(&[2, 3, 4]).numel(), Some(24));
    /// ```
    pub const fn numel(&self) -> Option<u64> {
        self.numel_from(0)
    }

    /// Product of dims `from..rank`, or `None` on overflow (`numel_from(1)`: one sample).
    ///
    /// ```
    /// # use nncost_core::Shape;
    /// assert_eq!(Shape::new(&[2, 3, 4]).numel_from(1), Some(12));
    /// ```
    pub const fn numel_from(&self, from: usize) -> Option<u64> {
        let mut n: u64 = 1;
        let mut i = from;
        while i < self.rank as usize {
            n = match n.checked_mul(self.dims[i]) {
                Some(v) => v,
                None => return None,
            };
            i += 1;
        }
        Some(n)
    }

    /// Whether two shapes are equal (usable in `const fn`, unlike `==`).
    ///
    /// ```
    /// # use nncost_core::Shape;
    /// assert!(Shape::new(&[1, 2]).same_as(&Shape::new(&[1, 2])));
    /// ```
    pub const fn same_as(&self, other: &Shape) -> bool {
        if self.rank != other.rank {
            return false;
        }
        let mut i = 0;
        while i < self.rank as usize {
            if self.dims[i] != other.dims[i] {
                return false;
            }
            i += 1;
        }
        true
    }
}

impl Shape {
    /// The shape of an elementwise operation on `self` and `other` under PyTorch's broadcasting
    /// rule: dims are aligned from the right, a missing dim counts as 1, and each pair of sizes
    /// must be equal or contain a 1 (which expands to the other). The result has the larger
    /// rank. `Err` is the first dim (in the result's numbering, counted from the right as
    /// PyTorch checks them) whose sizes differ with neither being 1; see [`Shape::broadcast_dim`]
    /// for the two sizes there.
    ///
    /// ```
    /// use nncost_core::Shape;
    /// // Squeeze-and-excitation: a per-channel scale against the feature map.
    /// let x = Shape::new(&[1, 64, 56, 56]);
    /// let scale = Shape::new(&[1, 64, 1, 1]);
    /// assert_eq!(x.broadcast(&scale), Ok(x));
    /// // Layer scale: a `[C, 1, 1]` parameter, no batch dim.
    /// assert_eq!(Shape::new(&[64, 1, 1]).broadcast(&x), Ok(x));
    /// // 128 channels against 64: dim 1 cannot broadcast.
    /// assert_eq!(Shape::new(&[1, 128, 8, 8]).broadcast(&Shape::new(&[1, 64, 8, 8])), Err(1));
    /// ```
    pub const fn broadcast(&self, other: &Shape) -> Result<Shape, usize> {
        let (a, b) = (self.rank as usize, other.rank as usize);
        let rank = if a > b { a } else { b };
        let mut out = Shape::SCALAR.with_rank(rank);
        // From the last dim back, as PyTorch's `infer_size` reports the first clash it meets.
        let mut i = rank;
        while i > 0 {
            i -= 1;
            let (x, y) = self.broadcast_dim(other, i);
            let size = if x == y || y == 1 {
                x
            } else if x == 1 {
                y
            } else {
                return Err(i);
            };
            out.dims[i] = size;
        }
        Ok(out)
    }

    /// The sizes of `self` and `other` at dim `i` of their broadcast result (dims aligned from
    /// the right; a dim one of them lacks counts as 1).
    ///
    /// ```
    /// use nncost_core::Shape;
    /// let (x, gamma) = (Shape::new(&[2, 96, 7, 7]), Shape::new(&[96, 1, 1]));
    /// assert_eq!(x.broadcast_dim(&gamma, 0), (2, 1));
    /// assert_eq!(x.broadcast_dim(&gamma, 1), (96, 96));
    /// ```
    pub const fn broadcast_dim(&self, other: &Shape, i: usize) -> (u64, u64) {
        let (a, b) = (self.rank as usize, other.rank as usize);
        let rank = if a > b { a } else { b };
        let x = if i + a >= rank && i < rank {
            self.dims[i + a - rank]
        } else {
            1
        };
        let y = if i + b >= rank && i < rank {
            other.dims[i + b - rank]
        } else {
            1
        };
        (x, y)
    }
}

impl fmt::Debug for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, d) in self.dims().iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{d}")?;
        }
        f.write_str("]")
    }
}
