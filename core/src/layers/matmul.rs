//! The matrix product of two branches (`matmul { .. }` in `network!`, [`Merge::MatMul`]).
//!
//! [`Merge::MatMul`]: crate::Merge::MatMul

use crate::cost::Cost;
use crate::error::Problem;
use crate::shape::{Shape, MAX_RANK};

/// The shape and cost of `torch.matmul(left, right)` for tensors of at least 2 dims: the last two
/// dims multiply as matrices (`[.., n, k] @ [.., k, m]` → `[.., n, m]`), the leading (batch) dims
/// broadcast as in PyTorch (aligned from the right; equal, or one of them 1).
///
/// - MACs: `B·n·k·m`, `B` the product of the broadcast batch dims.
/// - FLOPs: `2 × MACs`. Params: 0.
///
/// This is how a `matmul { a: .., b: .. }` merge of `network!` is costed (several branches multiply
/// left to right), e.g. attention's `QKᵀ` and `AV` written by hand.
///
/// ```
/// use nncost_core::{layers::matmul, Shape};
/// // Scores of 12 heads: [1, 12, 128, 64] @ [1, 12, 64, 128].
/// let (out, cost) = matmul(&Shape::new(&[1, 12, 128, 64]), &Shape::new(&[1, 12, 64, 128])).unwrap();
/// assert_eq!(out, Shape::new(&[1, 12, 128, 128]));
/// assert_eq!((cost.macs, cost.flops), (12 * 128 * 64 * 128, 2 * 12 * 128 * 64 * 128));
/// // Broadcasting: one matrix against a batch.
/// let (out, _) = matmul(&Shape::new(&[4, 3, 5]), &Shape::new(&[5, 2])).unwrap();
/// assert_eq!(out, Shape::new(&[4, 3, 2]));
/// assert!(matmul(&Shape::new(&[1, 3, 5]), &Shape::new(&[1, 4, 2])).is_err());
/// ```
pub const fn matmul(left: &Shape, right: &Shape) -> Result<(Shape, Cost), Problem> {
    let mismatch = Problem::Merge {
        what: "matmul [.., n, k] @ [.., k, m]",
        left: *left,
        right: *right,
    };
    let (lr, rr) = (left.rank(), right.rank());
    if lr < 2 || rr < 2 {
        return Err(mismatch);
    }
    let (n, k) = (left.dim(lr - 2), left.dim(lr - 1));
    let (k2, m) = (right.dim(rr - 2), right.dim(rr - 1));
    if k != k2 {
        return Err(mismatch);
    }
    let rank = if lr > rr { lr } else { rr };
    if rank > MAX_RANK {
        return Err(mismatch);
    }
    let mut out = Shape::SCALAR.with_rank(rank);
    let mut batch: u64 = 1;
    // Batch dims, aligned from the right: output dim `i` pairs with left dim `i - (rank - lr)`.
    let mut i = 0;
    while i < rank - 2 {
        let a = if i + lr >= rank {
            left.dim(i + lr - rank)
        } else {
            1
        };
        let b = if i + rr >= rank {
            right.dim(i + rr - rank)
        } else {
            1
        };
        let d = if a == b || b == 1 {
            a
        } else if a == 1 {
            b
        } else {
            return Err(mismatch);
        };
        out = out.with_dim(i, d);
        batch = checked!(checked_mul, batch, d, "MACs");
        i += 1;
    }
    out = out.with_dim(rank - 2, n).with_dim(rank - 1, m);
    if out.numel().is_none() {
        return Err(Problem::Overflow {
            what: "tensor size",
        });
    }
    let macs = checked!(checked_mul, batch, n, "MACs");
    let macs = checked!(checked_mul, macs, k, "MACs");
    let macs = checked!(checked_mul, macs, m, "MACs");
    Ok((
        out,
        Cost {
            macs,
            flops: checked!(checked_mul, macs, 2, "FLOPs"),
            ..Cost::ZERO
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_dims_broadcast() {
        let (out, cost) = matmul(&Shape::new(&[2, 1, 3, 4]), &Shape::new(&[5, 4, 6])).unwrap();
        assert_eq!(out, Shape::new(&[2, 5, 3, 6]));
        assert_eq!(cost.macs, 2 * 5 * 3 * 4 * 6);
        assert!(matmul(&Shape::new(&[2, 3, 4]), &Shape::new(&[3, 4, 6])).is_err());
        assert!(matmul(&Shape::new(&[4]), &Shape::new(&[4, 2])).is_err());
        assert_eq!(
            matmul(&Shape::new(&[3, 4]), &Shape::new(&[4, 2]))
                .unwrap()
                .0,
            Shape::new(&[3, 2])
        );
    }
}
