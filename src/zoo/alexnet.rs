//! AlexNet, as torchvision's `alexnet()`.

use crate::prelude::*;

network! {
    /// AlexNet: Krizhevsky, Sutskever & Hinton, "ImageNet Classification with Deep
    /// Convolutional Neural Networks" (NeurIPS 2012), in the single-GPU variant of Krizhevsky,
    /// "One weird trick for parallelizing convolutional neural networks" (arXiv:1404.5997,
    /// 2014) that torchvision's `alexnet()` implements (64-192-384-256-256 filters).
    ///
    /// **61,100,840 params, 714,188,480 MACs** at 3×224×224, batch 1 (torchvision's figures;
    /// asserted at compile time). The adaptive 6×6 average pool meets a 6×6 map at 224×224
    /// and costs nothing but its elementwise FLOPs. `features` and `classifier` are numbered as
    /// torchvision's `nn.Sequential`s (`features.0` is the first convolution, `classifier.6`
    /// the last linear layer).
    #[input(3, 224, 224)]
    pub model AlexNet {
        features: (
            Conv2d::new(64, 11).stride(4).padding(2),
            ReLU,
            MaxPool2d::new(3).stride(2),
            Conv2d::new(192, 5).padding(2),
            ReLU,
            MaxPool2d::new(3).stride(2),
            Conv2d::new(384, 3).padding(1),
            ReLU,
            Conv2d::new(256, 3).padding(1),
            ReLU,
            Conv2d::new(256, 3).padding(1),
            ReLU,
            MaxPool2d::new(3).stride(2),
        ),
        avgpool: AdaptiveAvgPool2d::new(6, 6),
        flatten: Flatten, // torch.flatten(x, 1)
        classifier: (
            Dropout::new(0.5),
            Linear::new(4096),
            ReLU,
            Dropout::new(0.5),
            Linear::new(4096),
            ReLU,
            Linear::new(1000),
        ),
    }
}

crate::const_assert!(AlexNet::PARAMS == 61_100_840);
crate::const_assert!(AlexNet::MACS == 714_188_480);
crate::const_assert!(AlexNet::BUFFERS == 0);
crate::const_assert!(AlexNet::ALL_BUFFERS == 0);
crate::const_assert!(super::imagenet_logits(AlexNet::OUTPUT_SHAPE));
