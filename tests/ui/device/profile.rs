// A profile needs an f32 peak and a bandwidth, and efficiencies in (0, 1].
use nncost::{Device, Peaks};

const NO_F32: Device = Device::new("Accelerator", Peaks::NONE.int8(1e12), 1e11, 1 << 30);
const MEASURED: Device = Device::new("Measured", Peaks::new(1e12), 1e11, 1 << 30).efficiency(1.5, 0.9);

fn main() {
    let _ = (NO_F32, MEASURED);
}
