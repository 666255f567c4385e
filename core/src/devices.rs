//! Built-in device profiles: datacenter GPUs, edge boards and microcontrollers, each value with
//! its public source.
//!
//! Use them in budgets (`#[budget(latency(nncost::devices::H100_SXM) <= 5ms)]`,
//! `fits(nncost::devices::STM32H743)`), in [`crate::roofline`] and in summaries; define your own
//! with [`Device::new`] (see [`Device`]).
//!
//! Rates are peak operations per second, one multiply-accumulate being two operations;
//! matrix-engine rates are **dense** (NVIDIA's datasheets quote 2:4-sparse figures, twice as
//! high, marked with an asterisk; nncost uses half of those). "vector" is the plain path (CUDA
//! cores, NEON, an MCU's FPU and DSP instructions), "matrix" the matrix engine (tensor cores,
//! Apple's Neural Engine, Arm's `SDOT`). Capacities are as vendors state them: decimal
//! gigabytes for GPUs and boards (a runtime reserves part of them), binary kibi/mebibytes for
//! microcontrollers (as their memory maps are laid out).
//!
//! | const | f32 (vector) | f16 (vector) | f16/bf16 (matrix) | int8 | fp8 (matrix) | bandwidth | RAM | flash |
//! |---|---|---|---|---|---|---|---|---|
//! | [`H100_SXM`] | 67 T | 133.8 T | 989.5 T | 1979 T | 1979 T | 3.35 TB/s | 80 GB | |
//! | [`H200`] | 67 T | 133.8 T | 989.5 T | 1979 T | 1979 T | 4.8 TB/s | 141 GB | |
//! | [`A100_SXM`] | 19.5 T | 78 T | 312 T | 624 T | | 2.039 TB/s | 80 GB | |
//! | [`L4`] | 30.3 T | 30.3 T | 121 T | 242.5 T | 242.5 T | 300 GB/s | 24 GB | |
//! | [`JETSON_ORIN_NANO`] | 1.28 T | | 10 T | 20 T | | 68 GB/s | 8 GB | |
//! | [`RASPBERRY_PI_5`] | 153.6 G | 307.2 G | | 614.4 G | | 17.068 GB/s | 8 GB | |
//! | [`APPLE_M2`] | 3.6 T | 3.6 T | 15.8 T | 15.8 T | | 100 GB/s | 24 GB | |
//! | [`STM32H743`] | 960 M | | | 1.92 G | | 3.84 GB/s | 1 MiB | 2 MiB |
//! | [`STM32L476`] | 160 M | | | 320 M | | 320 MB/s | 128 KiB | 1 MiB |
//! | [`NRF52840`] | 128 M | | | 256 M | | 256 MB/s | 256 KiB | 1 MiB |
//! | [`ESP32_S3`] | 960 M | | | 15.36 G | | 7.68 GB/s | 512 KiB | 8 MiB |
//!
//! Rates in operations per second (T = 10¹², G = 10⁹, M = 10⁶); the int8 column is the matrix
//! rate where the device has one, else the vector rate. `tests/devices.rs` checks this table
//! against the constants; each constant's docs give its sources and assumptions.
//!
//! **Microcontrollers** publish clocks, not peaks. Their peaks assume the best sustained issue
//! rate of the core at its maximum clock: one single-precision fused multiply-add per cycle per
//! core (2 FLOPs), one `SMLAD` per cycle for int8 (two 16-bit multiply-accumulates, 4
//! operations: CMSIS-NN widens int8 to int16 and uses it), and one load of the core's widest
//! data path per cycle for the bandwidth (64 bits on a Cortex-M7, 32 on a Cortex-M4, 128 per
//! ESP32-S3 core with its vector loads). Weights are read from flash, which is slower than
//! that: the times stay lower bounds, only less tight.
//!
//! **Lower bounds.** These are datasheet peaks: no real kernel beats them, so roofline times
//! computed from them are lower bounds for data moved from main memory (HBM, DRAM; SRAM on
//! microcontrollers). Vendors publish no cache bandwidths, so these profiles have no cache
//! levels: a kernel whose working set already sits in a GPU's L2 or a CPU's caches can move it
//! faster than the memory time says (add levels with [`Device::cache`] when you know them). A
//! profile measured on your hardware (the `benches/roofline` program builds one for the
//! machine it runs on, caches included) is tighter.

use crate::device::{Device, Peaks};

/// NVIDIA H100 SXM5 80 GB (Hopper).
///
/// - vector (CUDA cores): f64 34 T, f32 67 T, f16 and bf16 133.8 T;
/// - matrix (tensor cores, dense): f64 67 T, f16 and bf16 989.5 T, fp8 and int8 1979 T;
/// - 3.35 TB/s of HBM3, 80 GB.
///
/// Sources: [NVIDIA H100 Tensor Core GPU datasheet](https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet)
/// (FP64 34, FP64 Tensor Core 67, FP32 67, BF16/FP16 Tensor Core 1,979\*, FP8 and INT8 Tensor
/// Core 3,958\*, 80 GB, 3.35 TB/s; \* with sparsity, halved here);
/// [NVIDIA H100 Tensor Core GPU Architecture whitepaper](https://resources.nvidia.com/en-us-tensor-core/gtc22-whitepaper-hopper),
/// table "H100 SXM5" (peak FP16 and BF16 non-tensor 133.8 TFLOPS). TF32 (494.7 T dense) is not
/// f32: an f32 model is costed at the f32 rate; a user who enables TF32 can define a profile
/// with `matrix(Peaks::NONE.f32(494.7e12) ..)`.
pub const H100_SXM: Device = Device::new(
    "H100 SXM",
    Peaks::new(67e12).f64(34e12).f16(133.8e12).bf16(133.8e12),
    3.35e12,
    80_000_000_000,
)
.matrix(
    Peaks::NONE
        .f64(67e12)
        .f16(989.5e12)
        .bf16(989.5e12)
        .fp8(1979e12)
        .int8(1979e12),
);

/// NVIDIA H200 SXM 141 GB: the H100's GH100 at the same rates, with more and faster memory.
///
/// - vector and matrix rates as [`H100_SXM`];
/// - 4.8 TB/s of HBM3e, 141 GB.
///
/// Source: [NVIDIA H200 product page and datasheet](https://www.nvidia.com/en-us/data-center/h200/)
/// (H200 SXM: FP64 34, FP64 Tensor Core 67, FP32 67, TF32 989\*, BF16/FP16 1,979\*, FP8 and
/// INT8 3,958\*, 141 GB HBM3e, 4.8 TB/s; \* with sparsity, halved here).
pub const H200: Device = Device::new(
    "H200 SXM",
    Peaks::new(67e12).f64(34e12).f16(133.8e12).bf16(133.8e12),
    4.8e12,
    141_000_000_000,
)
.matrix(H100_SXM.matrix);

/// NVIDIA A100 SXM4 80 GB (Ampere).
///
/// - vector: f64 9.7 T, f32 19.5 T, f16 78 T, bf16 39 T;
/// - matrix (dense): f64 19.5 T, f16 and bf16 312 T, int8 624 T, int4 1248 T (no fp8);
/// - 2.039 TB/s of HBM2e, 80 GB.
///
/// Sources: [NVIDIA A100 datasheet](https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf)
/// (FP64 9.7, FP64 Tensor Core 19.5, FP32 19.5, BF16/FP16 Tensor Core 312, INT8 624,
/// 80 GB HBM2e at 2,039 GB/s for the SXM 80 GB);
/// [NVIDIA A100 Tensor Core GPU Architecture whitepaper](https://images.nvidia.com/aem-dam/en-zz/Solutions/data-center/nvidia-ampere-architecture-whitepaper.pdf),
/// table 1 (peak FP16 non-tensor 78, BF16 non-tensor 39, INT4 Tensor 1,248 TOPS).
pub const A100_SXM: Device = Device::new(
    "A100 SXM 80GB",
    Peaks::new(19.5e12).f64(9.7e12).f16(78e12).bf16(39e12),
    2.039e12,
    80_000_000_000,
)
.matrix(
    Peaks::NONE
        .f64(19.5e12)
        .f16(312e12)
        .bf16(312e12)
        .int8(624e12)
        .int4(1248e12),
);

/// NVIDIA L4 (Ada Lovelace, 72 W).
///
/// - vector: f32 30.3 T, f16 and bf16 30.3 T;
/// - matrix (dense): f16 and bf16 121 T, fp8 and int8 242.5 T;
/// - 300 GB/s of GDDR6, 24 GB.
///
/// Sources: [NVIDIA L4 Tensor Core GPU datasheet](https://resources.nvidia.com/en-us-data-center-overview/l4-gpu-datasheet)
/// (FP32 30.3, TF32 120\*, FP16/BF16 242\*, FP8 and INT8 485\*, 24 GB, 300 GB/s; \* with
/// sparsity, halved here). The datasheet gives no non-tensor f16 rate; Ada's CUDA cores run f16
/// at the f32 rate ([Ada architecture whitepaper](https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf),
/// appendix tables: "Peak FP16 TFLOPS (non-Tensor)" equals peak FP32), assumed here.
pub const L4: Device = Device::new(
    "L4",
    Peaks::new(30.3e12).f16(30.3e12).bf16(30.3e12),
    300e9,
    24_000_000_000,
)
.matrix(
    Peaks::NONE
        .f16(121e12)
        .bf16(121e12)
        .fp8(242.5e12)
        .int8(242.5e12),
);

/// NVIDIA Jetson Orin Nano 8GB module (its Ampere GPU, 15 W mode).
///
/// - vector: f32 1.28 T (1024 CUDA cores × 2 FLOPs × 625 MHz);
/// - matrix (dense): int8 20 T, f16 10 T;
/// - 68 GB/s of LPDDR5 (128-bit), 8 GB shared with the CPU.
///
/// Source: [NVIDIA Jetson Orin Nano Series data sheet](https://developer.nvidia.com/embedded/jetson-modules)
/// (DS-11105-001: "up to 40 (sparse) INT8 TOPS and 20 (dense)", 1024 CUDA cores, 32 tensor
/// cores, 625 MHz maximum GPU frequency, 8 GB 128-bit LPDDR5 at 68 GB/s). Assumption: f16 on
/// the tensor cores at half the int8 rate, as on every Ampere GPU (A100: 312 vs 624). The 2024
/// "Super" firmware (1020 MHz, 102 GB/s, 67 sparse TOPS) is a different profile: define it with
/// [`Device::new`].
pub const JETSON_ORIN_NANO: Device = Device::new(
    "Jetson Orin Nano 8GB",
    Peaks::new(1.28e12),
    68e9,
    8_000_000_000,
)
.matrix(Peaks::NONE.f16(10e12).int8(20e12));

/// Raspberry Pi 5 8GB: BCM2712, four Arm Cortex-A76 cores at 2.4 GHz (the CPU; its GPU is not
/// used for inference here).
///
/// - vector (NEON, two 128-bit pipes per core): f64 76.8 G, f32 153.6 G, f16 307.2 G
///   (4 cores × 2.4 GHz × 2 pipes × 2, 4 or 8 lanes × 2 FLOPs per fused multiply-add);
/// - matrix (`SDOT`, int8 dot products into int32, two per cycle per core): int8 614.4 G
///   (4 × 2.4 GHz × 2 × 16 MACs × 2);
/// - 17.07 GB/s (32-bit LPDDR4X-4267: 4,267 MT/s × 4 bytes), 8 GB.
///
/// Sources: [Raspberry Pi 5 product brief](https://datasheets.raspberrypi.com/rpi5/raspberry-pi-5-product-brief.pdf)
/// (BCM2712, quad-core Cortex-A76 at 2.4 GHz, LPDDR4X-4267, 8 GB); the bus width from the
/// [Raspberry Pi 5 announcement](https://www.raspberrypi.com/news/introducing-raspberry-pi-5/)
/// (32-bit LPDDR4X at 4,267 MT/s); [Arm Cortex-A76 Software Optimization Guide](https://developer.arm.com/documentation/pjdoc466751330-7215/latest)
/// (ASIMD `FMLA` and `SDOT`: throughput 2 per cycle, pipelines V0 and V1). The A76 has no bf16.
pub const RASPBERRY_PI_5: Device = Device::new(
    "Raspberry Pi 5",
    Peaks::new(153.6e9).f64(76.8e9).f16(307.2e9),
    17.068e9,
    8_000_000_000,
)
.matrix(Peaks::NONE.int8(614.4e9));

/// Apple M2 (10-core GPU, 16-core Neural Engine, 24 GB configuration).
///
/// - vector (GPU): f32 and f16 3.6 T;
/// - matrix (Neural Engine): f16 and int8 15.8 T;
/// - 100 GB/s of LPDDR5 unified memory, 24 GB.
///
/// Sources: [Apple newsroom, "Apple unveils M2"](https://www.apple.com/newsroom/2022/06/apple-unveils-m2-with-breakthrough-performance-and-capabilities/)
/// (Neural Engine "15.8 trillion operations per second", 100 GB/s unified memory bandwidth,
/// up to 24 GB, 10-core GPU). Apple publishes no GPU FLOPs; 3.6 T is the figure commonly given
/// for the 10-core GPU (10 cores × 128 ALUs × 2 FLOPs × 1.4 GHz), with f16 at the f32 rate.
/// Apple does not say in which precision the Neural Engine reaches 15.8 T; it is taken for f16
/// and int8 alike, an optimistic reading that keeps the times lower bounds.
pub const APPLE_M2: Device = Device::new(
    "Apple M2",
    Peaks::new(3.6e12).f16(3.6e12),
    100e9,
    24_000_000_000,
)
.matrix(Peaks::NONE.f16(15.8e12).int8(15.8e12));

/// STMicroelectronics STM32H743 (Arm Cortex-M7 at 480 MHz, double-precision FPU, 2 MiB flash,
/// 1 MiB RAM).
///
/// - f32 960 M (one fused multiply-add per cycle); int8 1.92 G (one `SMLAD` per cycle);
/// - 3.84 GB/s (one 64-bit load per cycle);
/// - 1 MiB of RAM (TCM and SRAM), 2 MiB of flash for the weights.
///
/// Sources: [STM32H743xI datasheet DS12110](https://www.st.com/resource/en/datasheet/stm32h743vi.pdf)
/// (Cortex-M7 up to 480 MHz, "up to 2 Mbytes of flash memory", "1 Mbyte of RAM": 192 KB TCM
/// and 864 KB user SRAM); Arm's white paper "The DSP capabilities of Arm Cortex-M4 and
/// Cortex-M7 processors" (T. Lorenser, November 2016: single-cycle MAC and `SMLAD`, 64-bit
/// loads, pipelined FPU);
/// [Cortex-M7 instruction timings measured on an STM32H7 at 480 MHz](https://www.quinapalus.com/cm7cycles.html).
/// The rates are the most the core issues (one FMA or one `SMLAD` per cycle), so the times stay
/// lower bounds. 480 MHz needs silicon revision V (revision Y: 400 MHz). f64 arithmetic is
/// costed at the f32 rate.
pub const STM32H743: Device =
    Device::new("STM32H743", Peaks::new(960e6).int8(1.92e9), 3.84e9, 1 << 20).flash(2 << 20);

/// STMicroelectronics STM32L476 (Arm Cortex-M4F at 80 MHz, 1 MiB flash, 128 KiB SRAM).
///
/// - f32 160 M (one fused multiply-add per cycle, optimistic: the Cortex-M4 TRM gives
///   `VFMA.F32` 3 cycles unless chained); int8 320 M (one `SMLAD` per cycle);
/// - 320 MB/s (one 32-bit load per cycle);
/// - 128 KiB of SRAM (96 + 32), 1 MiB of flash for the weights.
///
/// Sources: [STM32L476xx datasheet DS10198](https://www.st.com/resource/en/datasheet/stm32l476rg.pdf)
/// (Cortex-M4 with FPU up to 80 MHz, up to 1 MB flash, 128 KB SRAM);
/// [Arm Cortex-M4 Technical Reference Manual](https://developer.arm.com/documentation/100166/0001)
/// (instruction timings: `SMLAD` 1 cycle, FPU `VFMA.F32` 3 cycles, `VADD`/`VMUL` 1).
pub const STM32L476: Device =
    Device::new("STM32L476", Peaks::new(160e6).int8(320e6), 320e6, 128 << 10).flash(1 << 20);

/// Nordic nRF52840 (Arm Cortex-M4F at 64 MHz, 1 MiB flash, 256 KiB RAM; the chip of the
/// Arduino Nano 33 BLE Sense, TensorFlow Lite Micro's reference board).
///
/// - f32 128 M, int8 256 M (as [`STM32L476`], at 64 MHz);
/// - 256 MB/s (one 32-bit load per cycle);
/// - 256 KiB of RAM, 1 MiB of flash for the weights.
///
/// Source: [nRF52840 Product Specification](https://www.nordicsemi.com/Products/nRF52840)
/// (64 MHz Arm Cortex-M4 with FPU, 1 MB flash, 256 KB RAM); timings as [`STM32L476`].
pub const NRF52840: Device =
    Device::new("nRF52840", Peaks::new(128e6).int8(256e6), 256e6, 256 << 10).flash(1 << 20);

/// Espressif ESP32-S3 (two Xtensa LX7 cores at 240 MHz with 128-bit vector instructions,
/// 512 KiB SRAM; the ESP32-S3-WROOM-1 N8 module's 8 MiB flash).
///
/// - f32 960 M (2 cores × one single-precision `MADD.S` per cycle × 2 FLOPs × 240 MHz);
/// - int8 15.36 G (2 cores × `EE.VMULAS.S8`: 16 int8 multiply-accumulates per cycle × 2 ×
///   240 MHz);
/// - 7.68 GB/s (2 cores × one 128-bit vector load per cycle);
/// - 512 KiB of SRAM, 8 MiB of flash for the weights (PSRAM, if fitted, is not counted).
///
/// Sources: [ESP32-S3 datasheet](https://www.espressif.com/sites/default/files/documentation/esp32-s3_datasheet_en.pdf)
/// (dual-core Xtensa LX7 up to 240 MHz, 512 KB SRAM, "128-bit data bus and SIMD commands"
/// for vector instructions); [ESP32-S3 Technical Reference Manual](https://www.espressif.com/sites/default/files/documentation/esp32-s3_technical_reference_manual_en.pdf),
/// chapter "Processor Instruction Extensions" (`EE.VMULAS.S8.ACCX`, `EE.VLD.128`);
/// [ESP32-S3-WROOM-1 datasheet](https://www.espressif.com/sites/default/files/documentation/esp32-s3-wroom-1_wroom-1u_datasheet_en.pdf)
/// (N8: 8 MB flash).
pub const ESP32_S3: Device = Device::new(
    "ESP32-S3",
    Peaks::new(960e6).int8(15.36e9),
    7.68e9,
    512 << 10,
)
.flash(8 << 20);

/// Every built-in profile, in the order of the table above.
///
/// ```
/// use nncost_core::devices;
/// assert_eq!(devices::ALL.len(), 11);
/// assert_eq!(devices::ALL[0].name, "H100 SXM");
/// ```
pub const ALL: [Device; 11] = [
    H100_SXM,
    H200,
    A100_SXM,
    L4,
    JETSON_ORIN_NANO,
    RASPBERRY_PI_5,
    APPLE_M2,
    STM32H743,
    STM32L476,
    NRF52840,
    ESP32_S3,
];
