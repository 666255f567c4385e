//! YOLOv8n, as ultralytics builds `yolov8n.yaml`, and the ultralytics modules it is made of
//! (`Conv`, `Bottleneck`, `C2f`, `SPPF`, `DFL`, `Detect`).

use crate::prelude::*;

/// The layer standing where a [`C2f`] with an unsupported number of bottlenecks would be: a
/// compile error naming the limit (never reached for `N` of 1 or 2).
#[track_caller]
const fn c2f_depth(n: u64) -> Identity {
    if n != 1 && n != 2 {
        panic!("C2f: N must be 1 or 2 (each bottleneck's output is named for the concatenation)");
    }
    Identity
}

network! {
    /// ultralytics' `Conv(c1, C2, K, S)`: a `K`×`K` convolution with stride `S`, padding
    /// `K / 2` (`autopad`) and no bias, BatchNorm, and the activation `Act` (SiLU, ultralytics'
    /// `default_act`; `Identity` for `act=False`). The input width `c1` is inferred.
    pub block Conv<const C2: u64, const K: u64, const S: u64, Act: ModelCost = SiLU> {
        conv: Conv2d::new(C2, K).stride(S).padding(K / 2).bias(false),
        bn: BatchNorm2d::new(),
        act: Act,
    }

    /// ultralytics' `Conv(c1, c1·NUM/DEN, K)` with stride 1: a [`Conv`] whose width is a
    /// fraction of its input's, for the widths a block computes from its own (`C2f`'s
    /// bottlenecks keep `c`, `SPPF` halves `c1`). A block cannot pass such a width to [`Conv`]
    /// as a generic argument (`Conv<{ C2 / 2 }, 3, 1>`: stable Rust does not compute with a
    /// generic parameter there), so the convolution takes it from the input
    /// (`Conv2d::ratio(NUM, DEN, K)`).
    pub block ConvRatio<const NUM: u64, const DEN: u64, const K: u64, Act: ModelCost = SiLU> {
        conv: Conv2d::ratio(NUM, DEN, K).padding(K / 2).bias(false),
        bn: BatchNorm2d::new(),
        act: Act,
    }

    /// ultralytics' `Bottleneck(c, c, shortcut, k=(3, 3), e=1.0)`, the form `C2f` builds: two
    /// 3×3 convolutions that keep the width `c` of their input ([`ConvRatio`]`<1, 1, 3>`), and
    /// the input added back when `SHORTCUT`.
    pub block Bottleneck<const SHORTCUT: bool> {
        if SHORTCUT {
            residual {
                cv1: ConvRatio<1, 1, 3>,
                cv2: ConvRatio<1, 1, 3>,
            },
        } else {
            cv1: ConvRatio<1, 1, 3>,
            cv2: ConvRatio<1, 1, 3>,
        },
    }

    /// ultralytics' `C2f(c1, C2, N, SHORTCUT)` (the CSP bottleneck with two convolutions of
    /// YOLOv8): `cv1` to `C2` channels, split in two halves of `c = C2 / 2`
    /// (`chunk(2, 1)`); `N` [`Bottleneck`]s run one after another on the second half; every
    /// piece, the two halves and each bottleneck's output, is concatenated (`(2 + N)·c`
    /// channels) and `cv2` brings it to `C2`:
    ///
    /// ```python
    /// y = list(self.cv1(x).chunk(2, 1))
    /// y.extend(m(y[-1]) for m in self.m)
    /// return self.cv2(torch.cat(y, 1))
    /// ```
    ///
    /// The concatenation reads every bottleneck's output, and `network!` can name the copies
    /// of a repeat only when they are written out, so `N` is 1 or 2 (what YOLOv8n and YOLOv8s
    /// build); the bottlenecks are `m.0` and `m.1`, as ultralytics' paths.
    ///
    /// ```
    /// use nncost::prelude::*;
    /// use nncost::zoo::yolov8::C2f;
    /// network! {
    ///     #[input(64, 80, 80)]
    ///     model Stage { c2f: C2f<64, 2, true> }
    /// }
    /// // cv1 64 → 64, two bottlenecks of two 3×3 convolutions 32 → 32, cv2 (2 + 2)·32 → 64;
    /// // each convolution without bias and followed by a BatchNorm (2 params a channel).
    /// let convs = 64 * 64 + 4 * (32 * 32 * 9) + 128 * 64;
    /// let norms = 2 * (64 + 4 * 32 + 64);
    /// assert_eq!(Stage::PARAMS, convs + norms);
    /// ```
    ///
    /// Other depths do not compile:
    ///
    /// ```compile_fail
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(64, 80, 80)]
    ///     model Deep { c2f: nncost::zoo::yolov8::C2f<64, 3, true> } // error: C2f: N must be 1 or 2
    /// }
    /// let _ = Deep::PARAMS;
    /// ```
    pub block C2f<const C2: u64, const N: u64, const SHORTCUT: bool> {
        cv1: Conv<C2, 1, 1>,
        // y = list(self.cv1(x).chunk(2, 1)): two views of c = C2 / 2 channels
        y0: cv1 -> Narrow::new(1, 0, C2 / 2),
        y1: cv1 -> Narrow::new(1, C2 / 2, C2 / 2),
        if N == 1 {
            m: y1 -> { 0: Bottleneck<SHORTCUT> },
            cat: concat(y0, y1, m.0, dim = 1),
        } else if N == 2 {
            m: y1 -> { 0: Bottleneck<SHORTCUT>, 1: Bottleneck<SHORTCUT> },
            cat: concat(y0, y1, m.0, m.1, dim = 1),
        } else {
            unsupported: c2f_depth(N),
        },
        cv2: Conv<C2, 1, 1>,
    }

    /// ultralytics' `SPPF(c1, C2, k=5)` (spatial pyramid pooling, fast): `cv1` halves the
    /// channels (`Conv(c1, c1 // 2, 1, act=False)`), one 5×5 max pool with stride 1 is applied
    /// three times in a row (`self.m`, one module: no weights, here `m` and then `m` again as
    /// `m_2` and `m_3`), the four tensors are concatenated and `cv2` brings them to `C2`:
    ///
    /// ```python
    /// y = [self.cv1(x)]
    /// y.extend(self.m(y[-1]) for _ in range(3))
    /// return self.cv2(torch.cat(y, 1))
    /// ```
    pub block Sppf<const C2: u64> {
        cv1: ConvRatio<1, 2, 1, Identity>,
        m: MaxPool2d::new(5).stride(1).padding(2),
        m_2: m -> m,
        m_3: m_2 -> m,
        cat: concat(cv1, m, m_2, m_3, dim = 1),
        cv2: Conv<C2, 1, 1>,
    }

    /// ultralytics' `DFL(C1)`, the integral of Li et al.'s distribution focal loss
    /// ("Generalized Focal Loss", NeurIPS 2020, arXiv:2006.04388): each of the 4 box sides is a
    /// distribution over `C1` bins, softmaxed and reduced to its expectation by a fixed 1×1
    /// convolution whose weight is `0, 1, .., C1 − 1` (`requires_grad_(False)`: frozen, in
    /// `PARAMS`, not in `TRAINABLE_PARAMS`):
    ///
    /// ```python
    /// b, _, a = x.shape  # batch, channels, anchors
    /// return self.conv(x.view(b, 4, self.c1, a).transpose(2, 1).softmax(1)).view(b, 4, a)
    /// ```
    pub block Dfl<const C1: u64> {
        view: Unflatten::new(1, [4, C1]),
        transpose: Transpose::new(2, 1),
        softmax: Softmax::new(1),
        #[frozen]
        conv: Conv2d::new(1, 1).bias(false),
        out: FlattenRange::new(1, 2),
    }

    /// ultralytics' `Detect(NC, reg_max=REG_MAX, ch=(c3, c4, c5))` with the v8 (`legacy`) heads,
    /// on three levels `p3`, `p4`, `p5`, in eval mode: per level, a box head `cv2` (two 3×3
    /// [`Conv`]s of `C2` channels and a 1×1 convolution to `4·REG_MAX`) and a class head `cv3`
    /// (two 3×3 `Conv`s of `C3` channels and a 1×1 convolution to `NC`); `forward_head` views
    /// each level's map as `[N, C, H·W]` and concatenates the levels into `boxes` and `scores`;
    /// `_inference` decodes the boxes ([`Dfl`], then `dist2bbox` around the anchor points,
    /// scaled by the strides) and returns `y = cat(boxes, sigmoid(scores))`, `[N, 4 + NC, A]`
    /// for `A` anchors. ultralytics sets `C2 = max(16, c3 / 4, 4·REG_MAX)` and
    /// `C3 = max(c3, min(NC, 100))`.
    ///
    /// Eval mode returns `(y, preds)` with `preds = {"boxes", "scores", "feats"}`: the block's
    /// outputs are `y`, `boxes` and `scores` (the `feats` are its inputs).
    ///
    /// The anchor points and strides (`make_anchors`) are tensors Detect builds once per input
    /// size and keeps as plain attributes, neither parameters nor buffers; `network!` has no
    /// such constant, so each stands here as a free view of `boxes` with its shape
    /// (`[N, 2, A]` and `[N, A]`): no weights, no work, no memory, and their readers read them
    /// at their size. `dist2bbox`'s subtractions are written as the adds they cost the same as
    /// (`network!` has no `sub` join).
    pub block Detect<const NC: u64, const C2: u64, const C3: u64, const REG_MAX: u64>(p3, p4, p5)
        -> (y, boxes, scores)
    {
        cv2: {
            0: p3 -> (Conv<C2, 3, 1>, Conv<C2, 3, 1>, Conv2d::new(4 * REG_MAX, 1)),
            1: p4 -> (Conv<C2, 3, 1>, Conv<C2, 3, 1>, Conv2d::new(4 * REG_MAX, 1)),
            2: p5 -> (Conv<C2, 3, 1>, Conv<C2, 3, 1>, Conv2d::new(4 * REG_MAX, 1)),
        },
        // boxes = torch.cat([box_head[i](x[i]).view(bs, 4 * self.reg_max, -1) for i ..], dim=-1)
        box_0: cv2.0 -> FlattenRange::new(2, 3),
        box_1: cv2.1 -> FlattenRange::new(2, 3),
        box_2: cv2.2 -> FlattenRange::new(2, 3),
        boxes: concat(box_0, box_1, box_2, dim = -1),
        cv3: {
            0: p3 -> (Conv<C3, 3, 1>, Conv<C3, 3, 1>, Conv2d::new(NC, 1)),
            1: p4 -> (Conv<C3, 3, 1>, Conv<C3, 3, 1>, Conv2d::new(NC, 1)),
            2: p5 -> (Conv<C3, 3, 1>, Conv<C3, 3, 1>, Conv2d::new(NC, 1)),
        },
        score_0: cv3.0 -> FlattenRange::new(2, 3),
        score_1: cv3.1 -> FlattenRange::new(2, 3),
        score_2: cv3.2 -> FlattenRange::new(2, 3),
        scores: concat(score_0, score_1, score_2, dim = -1),
        // _inference: dbox = dist2bbox(self.dfl(boxes), anchors.unsqueeze(0), xywh=True, dim=1) * strides
        dfl: boxes -> Dfl<REG_MAX>,
        anchors: boxes -> Narrow::new(1, 0, 2),   // self.anchors.unsqueeze(0): [N, 2, A]
        strides: boxes -> Select::new(1, 0),      // self.strides: [1, A]
        lt: dfl -> Narrow::new(1, 0, 2),          // lt, rb = distance.chunk(2, dim)
        rb: dfl -> Narrow::new(1, 2, 2),
        x1y1: add(anchors, lt),                   // anchor_points - lt
        x2y2: add(anchors, rb),                   // anchor_points + rb
        sum: add(x1y1, x2y2),                     // c_xy = (x1y1 + x2y2) / 2
        c_xy: Scale::new(0.5),
        wh: add(x2y2, x1y1),                      // x2y2 - x1y1
        xywh: concat(c_xy, wh, dim = 1),
        dbox: mul(xywh, strides),
        // torch.cat((dbox, x["scores"].sigmoid()), 1)
        sigmoid: scores -> Sigmoid,
        y: concat(dbox, sigmoid, dim = 1),
    }

    /// YOLOv8n (Jocher, Chaurasia and Qiu, Ultralytics YOLOv8, 2023), as ultralytics builds
    /// `yolov8n.yaml` (`yolov8.yaml` at scale `n`: depth 0.33, width 0.25) for 80 classes, in
    /// eval mode with its BatchNorms not fused, on one 3×640×640 image: a CSP backbone of
    /// [`Conv`]s and [`C2f`]s with an [`Sppf`], a PAN neck that upsamples and concatenates
    /// top-down and bottom-up, and the v8 [`Detect`] head on the three levels P3–P5.
    ///
    /// **3,157,200 params, 4,371,993,600 MACs** (asserted at compile time). The params include
    /// the 16 of the DFL convolution, frozen (`TRAINABLE_PARAMS` is 3,157,184, ultralytics'
    /// "gradients"); the MACs are every convolution's, the DFL's 537,600 included. Buffers:
    /// 10,649 (`ALL_BUFFERS`), of which 10,592 floating-point (`BUFFERS`): the running mean
    /// and variance of 57 BatchNorms and their `num_batches_tracked`.
    ///
    /// Entries are numbered `0`–`22` as ultralytics' `model.0`–`model.22`, so the yaml's `from`
    /// indices read as they are: `14: concat(13, 4)` is `[[-1, 4], 1, Concat, [1]]  # 14`.
    /// The neck's skips cross (`12` is read by `13` and `17`, `4` by `5` and `14`, `9` by `10`
    /// and `20`), and each stays alive until its
    /// last reader.
    ///
    /// Outputs: eval mode returns `(y, preds)`, `preds = {"boxes", "scores", "feats"}`, here
    /// `y` `[1, 84, 8400]` (4 box coordinates and 80 class probabilities for 8,400 anchors),
    /// `boxes` `[1, 64, 8400]`, `scores` `[1, 80, 8400]` and the three levels `feats.0`
    /// `[1, 64, 80, 80]`, `feats.1` `[1, 128, 40, 40]`, `feats.2` `[1, 256, 20, 20]`.
    ///
    /// **GFLOPs as ultralytics prints them.** ultralytics counts with thop at 32×32 and scales to
    /// 640×640, and reports twice thop's count: a convolution counts its MACs (no bias), a
    /// BatchNorm 4 per element (thop's normalisation and affine), SiLU, pooling, upsampling and
    /// functional ops 0. After `model.fuse()` (BatchNorms folded into the convolutions) that is
    /// `2 × MACS` = 8,743,987,200: "8.7 GFLOPs". Unfused, as here, the 57 BatchNorms add
    /// `2 × 4 × 13,888,000` output elements: 8,855,091,200, "8.9 GFLOPs" (8.86 to two places;
    /// `yolov8.yaml`'s comment). nncost's `FLOPS` follows its own rules (2 per MAC plus each
    /// layer's elementwise work, a BatchNorm 2 per element) and differs from both.
    ///
    /// ```
    /// use nncost::zoo::Yolov8n;
    /// assert_eq!(Yolov8n::PARAMS, 3_157_200);
    /// assert_eq!(Yolov8n::PARAMS - Yolov8n::TRAINABLE_PARAMS, 16); // the DFL convolution
    /// assert_eq!(2 * Yolov8n::MACS, 8_743_987_200); // ultralytics' fused "8.7 GFLOPs"
    /// assert_eq!(Yolov8n::OUTPUT_SHAPES.name(0), "y");
    /// ```
    #[input(3, 640, 640)]
    pub model Yolov8n -> (
        22.y as "y",
        22.boxes as "boxes",
        22.scores as "scores",
        15 as "feats.0",
        18 as "feats.1",
        21 as "feats.2",
    ) {
        // backbone                     // yolov8.yaml (channels at width 0.25, repeats at depth 0.33)
        0: Conv<16, 3, 2>,             // [-1, 1, Conv, [64, 3, 2]]  # 0-P1/2
        1: Conv<32, 3, 2>,             // [-1, 1, Conv, [128, 3, 2]]  # 1-P2/4
        2: C2f<32, 1, true>,           // [-1, 3, C2f, [128, True]]
        3: Conv<64, 3, 2>,             // [-1, 1, Conv, [256, 3, 2]]  # 3-P3/8
        4: C2f<64, 2, true>,           // [-1, 6, C2f, [256, True]]
        5: Conv<128, 3, 2>,            // [-1, 1, Conv, [512, 3, 2]]  # 5-P4/16
        6: C2f<128, 2, true>,          // [-1, 6, C2f, [512, True]]
        7: Conv<256, 3, 2>,            // [-1, 1, Conv, [1024, 3, 2]]  # 7-P5/32
        8: C2f<256, 1, true>,          // [-1, 3, C2f, [1024, True]]
        9: Sppf<256>,                  // [-1, 1, SPPF, [1024, 5]]  # 9
        // head
        10: Upsample::scale(2),        // [-1, 1, nn.Upsample, [None, 2, "nearest"]]
        11: concat(10, 6, dim = 1),  // [[-1, 6], 1, Concat, [1]]  # cat backbone P4
        12: C2f<128, 1, false>,        // [-1, 3, C2f, [512]]  # 12
        13: Upsample::scale(2),        // [-1, 1, nn.Upsample, [None, 2, "nearest"]]
        14: concat(13, 4, dim = 1),  // [[-1, 4], 1, Concat, [1]]  # cat backbone P3
        15: C2f<64, 1, false>,         // [-1, 3, C2f, [256]]  # 15 (P3/8-small)
        16: Conv<64, 3, 2>,            // [-1, 1, Conv, [256, 3, 2]]
        17: concat(16, 12, dim = 1), // [[-1, 12], 1, Concat, [1]]  # cat head P4
        18: C2f<128, 1, false>,        // [-1, 3, C2f, [512]]  # 18 (P4/16-medium)
        19: Conv<128, 3, 2>,           // [-1, 1, Conv, [512, 3, 2]]
        20: concat(19, 9, dim = 1),  // [[-1, 9], 1, Concat, [1]]  # cat head P5
        21: C2f<256, 1, false>,        // [-1, 3, C2f, [1024]]  # 21 (P5/32-large)
        // [[15, 18, 21], 1, Detect, [nc]]  # Detect(P3, P4, P5): C2 = max(16, 64 / 4, 64),
        // C3 = max(64, min(80, 100))
        22: (15, 18, 21) -> Detect<80, 64, 80, 16>,
    }
}

crate::const_assert!(Yolov8n::PARAMS == 3_157_200);
crate::const_assert!(Yolov8n::TRAINABLE_PARAMS == 3_157_184);
crate::const_assert!(Yolov8n::MACS == 4_371_993_600);
crate::const_assert!(Yolov8n::BUFFERS == 10_592);
crate::const_assert!(Yolov8n::ALL_BUFFERS == 10_649);
crate::const_assert!(super::outputs::outputs_are(
    &Yolov8n::OUTPUT_SHAPES,
    &[
        ("y", &[1, 84, 8400]),
        ("boxes", &[1, 64, 8400]),
        ("scores", &[1, 80, 8400]),
        ("feats.0", &[1, 64, 80, 80]),
        ("feats.1", &[1, 128, 40, 40]),
        ("feats.2", &[1, 256, 20, 20]),
    ],
));
