use nncost::prelude::*;

network! {
    // A Linear straight after a convolution would act on the feature map's last column.
    #[input(3, 32, 32)]
    pub model Unflattened {
        conv: Conv2d::new(8, 3).padding(1),
        relu: ReLU,
        fc: Linear::new(10),
    }

    // `in_features` is the size of the whole sample: the Flatten is missing.
    #[input(8, 4, 4)]
    pub model Declared {
        fc: Linear::new(10).in_features(128),
    }

    // Legal: a Linear on the features of a sequence, and on channels last after a Permute.
    #[input(16, 64)]
    pub model Sequence {
        fc: Linear::new(32),
    }

    #[input(8, 4, 4)]
    pub model ChannelsLast {
        conv: Conv2d::new(8, 1),
        to_nhwc: Permute::new([0, 2, 3, 1]),
        fc: Linear::new(32),
    }
}

fn main() {}
