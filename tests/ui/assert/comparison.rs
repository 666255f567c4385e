// A failing `const_assert!` comparison shows both values, grouped as budget messages are.
use nncost::prelude::*;

network! {
    #[input(3, 224, 224)]
    pub model Net {
        conv: Conv2d::new(64, 3).padding(1),
    }
}

// 64 × 224 × 224 × 27 = 86,704,128 MACs; 64 × 27 + 64 = 1,792 params.
nncost::const_assert!(Net::MACS == 86_704_129);
nncost::const_assert!(Net::PARAMS != 1_792);
nncost::const_assert!(Net::MACS < 10 * Net::PARAMS);
nncost::const_assert!(Net::PARAMS <= 1_000,);
nncost::const_assert!(Net::PARAMS > Net::MACS);
nncost::const_assert!(Net::PARAMS as i64 - 2_000 >= 0);
// These hold.
nncost::const_assert!(Net::MACS == 64 * 224 * 224 * 27);
nncost::const_assert!(Net::ARITHMETIC_INTENSITY > 1.0);

fn main() {}
