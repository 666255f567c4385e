#!/usr/bin/env bash
# What nncost adds to a user's compile, measured: prints a Markdown table.
#
#   benches/compile-time.sh            # all cases (about 5 minutes on 2 cores)
#   NNCOST_BENCH_DIR=/tmp/b benches/compile-time.sh   # keep the generated crates there
#
# Every case is a generated crate in a scratch workspace that depends on this checkout by
# path. Dependencies are built once first, so "cargo check" times are the user crate's own
# (macro expansion, type checking and const evaluation of the declared models). Wall time
# and peak memory come from GNU time (`/usr/bin/time`, Debian's `time` package).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${NNCOST_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
target="$work/target"
export CARGO_TARGET_DIR="$target"
export CARGO_TERM_QUIET=true

crates=(flat100 flat1000 flat10000 dag1000 nest10 nest50 resnet50 llm70b_128 llm70b_32k llm70b_decode hello_nncost)
has_zoo=false
if grep -q '^zoo *=' "$root/Cargo.toml"; then
    has_zoo=true
    crates+=(zoo)
fi

manifest() { # name, extra dependency line
    mkdir -p "$work/$1/src"
    cat >"$work/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$2
TOML
}

flat() { # layers
    printf 'use nncost::prelude::*;\nnetwork! {\n    /// Generated.\n    #[input(8, 8, 8)]\n    pub model Flat {\n'
    local i
    for ((i = 0; i < $1; i++)); do
        case $((i % 3)) in
        0) printf '        l%d: Conv2d::new(8, 3).padding(1),\n' "$i" ;;
        1) printf '        l%d: BatchNorm2d::new(),\n' "$i" ;;
        *) printf '        l%d: ReLU,\n' "$i" ;;
        esac
    done
    printf '    }\n}\n/// Read so the model is evaluated.\npub const MACS: u64 = Flat::MACS;\n'
}

dag() { # nodes: a graph of named tensors with crossing skips (joins reading 7 back, entries
    # reading 3 back), so slots are kept, reused and freed throughout
    printf 'use nncost::prelude::*;\nnetwork! {\n    /// Generated.\n    #[input(16)]\n    pub model Dag {\n'
    local i
    for ((i = 0; i < $1; i++)); do
        if ((i >= 8 && i % 4 == 0)); then
            printf '        n%d: add(n%d, n%d),\n' "$i" $((i - 1)) $((i - 7))
        elif ((i >= 8 && i % 4 == 1)); then
            printf '        n%d: n%d -> Linear::new(16),\n' "$i" $((i - 3))
        else
            printf '        n%d: Linear::new(16),\n' "$i"
        fi
    done
    printf '    }\n}\n/// Read so the model is evaluated.\npub const MACS: u64 = Dag::MACS;\n'
}

nested() { # depth
    printf 'use nncost::prelude::*;\nnetwork! {\n    /// Innermost.\n    pub block Nest0 { conv: Conv2d::new(4, 3).padding(1) }\n'
    local d
    for ((d = 1; d <= $1; d++)); do
        printf '    /// Level %d.\n    pub block Nest%d { residual { inner: Nest%d, relu: ReLU } }\n' "$d" "$d" $((d - 1))
    done
    printf '    /// Generated.\n    #[input(4, 16, 16)]\n    pub model Nested { body: Nest%d }\n}\n/// Read so the model is evaluated.\npub const MACS: u64 = Nested::MACS;\n' "$1"
}

llm70b() { # input attribute: a Llama-2-70B-shaped model (80 layers), cost must not grow with tokens
    cat <<RS
use nncost::prelude::*;
network! {
    /// LLaMA's gated MLP.
    pub block Mlp<const D: u64, const I: u64> {
        mul {
            gate: { gate_proj: Linear::new(I).bias(false), act_fn: SiLU },
            up_proj: Linear::new(I).bias(false),
        },
        down_proj: Linear::new(D).bias(false),
    }
    /// A decoder layer.
    pub block Layer<const D: u64, const H: u64, const G: u64, const I: u64> {
        residual {
            input_layernorm: RMSNorm::new(D),
            self_attn: MultiheadAttention::new(D, H).kv_heads(G).bias(false).rope(true).causal(true),
        },
        residual { post_attention_layernorm: RMSNorm::new(D), mlp: Mlp<D, I> },
    }
    /// Llama-2-70B's shape.
    #[$1]
    #[dtype(bf16)]
    pub model Llama70B {
        embed_tokens: Embedding::new(32_000, 8192),
        layers: [Layer<8192, 64, 8, 28_672>; 80],
        norm: RMSNorm::new(8192),
        lm_head: Linear::new(32_000).bias(false),
    }
}
/// Read so the model is evaluated.
pub const MACS: u64 = Llama70B::MACS;
RS
}

resnet50() { # classes (edited between runs)
    cat <<RS
use nncost::prelude::*;
network! {
    /// Bottleneck with \`W\` inner channels, expansion 4, stride \`S\`.
    pub block Bottleneck<const W: u64, const S: u64> {
        residual {
            conv1: Conv2d::new(W, 1).bias(false),
            bn1: BatchNorm2d::new(),
            relu1: ReLU,
            conv2: Conv2d::new(W, 3).stride(S).padding(1).bias(false),
            bn2: BatchNorm2d::new(),
            relu2: ReLU,
            conv3: Conv2d::new(4 * W, 1).bias(false),
            bn3: BatchNorm2d::new(),
        } shortcut {
            downsample: Projection::conv_bn(4 * W).stride(S),
        },
        relu: ReLU,
    }
    /// ResNet-50.
    #[input(3, 224, 224)]
    #[budget(params <= 26M, macs <= 4.1G)]
    pub model ResNet50 {
        conv1: Conv2d::new(64, 7).stride(2).padding(3).bias(false),
        bn1: BatchNorm2d::new(),
        relu: ReLU,
        maxpool: MaxPool2d::new(3).stride(2).padding(1),
        layer1: [Bottleneck<64, 1>; 3],
        layer2: (Bottleneck<128, 2>, [Bottleneck<128, 1>; 3]),
        layer3: (Bottleneck<256, 2>, [Bottleneck<256, 1>; 5]),
        layer4: (Bottleneck<512, 2>, [Bottleneck<512, 1>; 2]),
        avgpool: AdaptiveAvgPool2d::new(1, 1),
        flatten: Flatten,
        fc: Linear::new($1),
    }
}
RS
}

# --- the scratch workspace -------------------------------------------------------------
cat >"$work/Cargo.toml" <<TOML
[workspace]
resolver = "2"
members = [$(printf '"%s", ' "${crates[@]}")]
TOML
dep="nncost = { path = \"$root\" }"
for n in 100 1000 10000; do manifest "flat$n" "$dep"; flat "$n" >"$work/flat$n/src/lib.rs"; done
manifest dag1000 "$dep"
dag 1000 >"$work/dag1000/src/lib.rs"
for d in 10 50; do manifest "nest$d" "$dep"; nested "$d" >"$work/nest$d/src/lib.rs"; done
manifest resnet50 "$dep"
resnet50 1000 >"$work/resnet50/src/lib.rs"
manifest llm70b_128 "$dep"
llm70b 'input(tokens = 128)' >"$work/llm70b_128/src/lib.rs"
manifest llm70b_32k "$dep"
llm70b 'input(tokens = 32_768)' >"$work/llm70b_32k/src/lib.rs"
manifest llm70b_decode "$dep"
llm70b 'input(tokens = 1, cached = 32_767)' >"$work/llm70b_decode/src/lib.rs"
$has_zoo && manifest zoo "nncost = { path = \"$root\", features = [\"zoo\"] }"
$has_zoo && printf '//! Reads every zoo model.\npub use nncost::zoo;\n/// Touched between runs.\npub const EDIT: u64 = 0;\n' >"$work/zoo/src/lib.rs"
manifest hello_nncost "$dep"
printf 'use nncost::prelude::*;\nnetwork! {\n    #[input(4)]\n    model M { fc: Linear::new(2) }\n}\nfn main() { println!("{}", M::PARAMS); }\n' >"$work/hello_nncost/src/main.rs"
mkdir -p "$work/alone/hello_thiserror/src"
cat >"$work/alone/hello_thiserror/Cargo.toml" <<TOML
[package]
name = "hello_thiserror"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
thiserror = "2"

[workspace]
TOML
printf '#[derive(Debug, thiserror::Error)]\n#[error("hello")]\nstruct Hello;\nfn main() { println!("{}", Hello); }\n' >"$work/alone/hello_thiserror/src/main.rs"

# --- measuring -------------------------------------------------------------------------
measure() { # label, command...; prints "| label | seconds | MiB |"
    local label=$1
    shift
    if ! /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/last.log"; then
        echo "failed: $label" >&2
        cat "$work/last.log" >&2
        exit 1
    fi
    local out
    out=$(tail -n 1 "$work/time.txt")
    local secs=${out% *} kib=${out#* }
    printf '| %s | %s s | %d MiB |\n' "$label" "$secs" $((kib / 1024))
}

echo "Building dependencies once (not measured)..." >&2
(cd "$work" && cargo check --workspace --quiet >/dev/null 2>&1) || (cd "$work" && cargo check --workspace)

echo
echo "machine: $(nproc) cores, $(rustc --version)"
echo
echo '| case | wall | peak memory |'
echo '|---|---|---|'
for c in flat100 flat1000 flat10000 dag1000 nest10 nest50; do
    touch "$work/$c/src/lib.rs"
    measure "cargo check, $c" cargo check --manifest-path "$work/$c/Cargo.toml"
done
# Without incremental state, so each check evaluates the model again (a touched file whose
# expansion did not change may otherwise reuse the evaluation). The first such check rebuilds
# nncost itself without incremental state: done once here, not measured.
env CARGO_INCREMENTAL=0 cargo check --quiet --manifest-path "$work/llm70b_128/Cargo.toml" >/dev/null 2>&1
for c in llm70b_128 llm70b_32k llm70b_decode; do
    touch "$work/$c/src/lib.rs"
    measure "cargo check (not incremental), $c" env CARGO_INCREMENTAL=0 cargo check --manifest-path "$work/$c/Cargo.toml"
done
resnet50 1001 >"$work/resnet50/src/lib.rs"
measure "incremental cargo check, ResNet-50 after editing one layer" cargo check --manifest-path "$work/resnet50/Cargo.toml"
resnet50 1000 >"$work/resnet50/src/lib.rs"
if $has_zoo; then
    touch "$root/src/lib.rs"
    measure "cargo check of nncost itself with the whole zoo" cargo check --manifest-path "$root/Cargo.toml" --features zoo --lib
    printf '//! Reads every zoo model.\npub use nncost::zoo;\n/// Touched between runs.\npub const EDIT: u64 = 1;\n' >"$work/zoo/src/lib.rs"
    measure "incremental cargo check, crate using the zoo" cargo check --manifest-path "$work/zoo/Cargo.toml"
fi

# Cold builds: fresh target dirs, three alternating runs each, the median reported. Cargo
# compiles path dependencies incrementally but crates.io ones not; nncost is a path dependency
# here, so CARGO_INCREMENTAL=0 makes it build as it would from crates.io (incremental state
# roughly doubles the macro crate's cold compile).
cold() { # label, manifest; prints the median wall time of three cold builds
    local times=()
    local i
    for i in 1 2 3; do
        rm -rf "$work/cold"
        /usr/bin/time -f '%e' -o "$work/time.txt" env CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$work/cold" \
            cargo build --manifest-path "$2" >/dev/null 2>"$work/last.log" || {
            cat "$work/last.log" >&2
            exit 1
        }
        times+=("$(tail -n 1 "$work/time.txt")")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}
ta=$(cold nncost "$work/hello_nncost/Cargo.toml")
tb=$(cold thiserror "$work/alone/hello_thiserror/Cargo.toml")
printf '| cold cargo build, hello world with nncost (median of 3) | %s s | |\n' "$ta"
printf '| cold cargo build, hello world with thiserror (median of 3) | %s s | |\n' "$tb"
echo
echo "cold build ratio nncost / thiserror: $(awk -v a="$ta" -v b="$tb" 'BEGIN { printf "%.2f", a / b }')"
