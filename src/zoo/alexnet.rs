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
    /// and costs nothing but its elementwise FLOPs.
    #[input(3, 224, 224)]
    pub model AlexNet {
        features: {
            conv1: Conv2d::new(64, 11).stride(4).padding(2),
            relu1: ReLU,
            pool1: MaxPool2d::new(3).stride(2),
            conv2: Conv2d::new(192, 5).padding(2),
            relu2: ReLU,
            pool2: MaxPool2d::new(3).stride(2),
            conv3: Conv2d::new(384, 3).padding(1),
            relu3: ReLU,
            conv4: Conv2d::new(256, 3).padding(1),
            relu4: ReLU,
            conv5: Conv2d::new(256, 3).padding(1),
            relu5: ReLU,
            pool5: MaxPool2d::new(3).stride(2),
        },
        avgpool: AdaptiveAvgPool2d::new(6, 6),
        flatten: Flatten,
        classifier: {
            dropout1: Dropout::new(0.5),
            fc1: Linear::new(4096),
            relu1: ReLU,
            dropout2: Dropout::new(0.5),
            fc2: Linear::new(4096),
            relu2: ReLU,
            fc3: Linear::new(1000),
        },
    }
}

crate::const_assert!(AlexNet::PARAMS == 61_100_840);
crate::const_assert!(AlexNet::MACS == 714_188_480);
crate::const_assert!(AlexNet::BUFFERS == 0);
crate::const_assert!(AlexNet::ALL_BUFFERS == 0);
crate::const_assert!(super::imagenet_logits(AlexNet::OUTPUT_SHAPE));
