//! Per-layer reference cases measured by PyTorch (`tests/data/layers.jsonl`, see the README
//! beside it): every case's layer is built with nncost's builders from its PyTorch config, applied
//! to its input shape, and its output shape, params, buffers and MACs must match exactly. Every
//! kind in the file is checked; an unknown kind fails.
//!
//! `MultiheadAttention` cases give two inputs, `[query_shape, key_value_shape]` (PyTorch calls
//! `mha(q, kv, kv, need_weights=False)`): the layer is applied to the query, with the key/value
//! sequence declared by `.kv_len(S)` and `.kdim`/`.vdim`. LSTM and GRU MACs are the fixtures'
//! analytic count, which is nncost's rule.
//!
//! `NNCOST_LAYER_FIXTURES=/path/to/cases.jsonl` checks another file of the same format.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use nncost_core::layers::*;
use nncost_core::{Layer, Message, Shape};
use serde_json::Value;

/// What checking a list of cases found.
#[derive(Debug, Default)]
struct Outcome {
    /// Cases compared, per kind (whether they matched or not).
    checked: BTreeMap<String, usize>,
    /// Cases that matched exactly, per kind.
    matched: BTreeMap<String, usize>,
    /// One line per case that did not match, or could not be built or read.
    failures: Vec<String>,
}

impl Outcome {
    fn total_checked(&self) -> usize {
        self.checked.values().sum()
    }

    fn total_matched(&self) -> usize {
        self.matched.values().sum()
    }

    /// `Err` with every failure when any case failed or nothing was checked.
    fn verdict(&self) -> Result<(), String> {
        if !self.failures.is_empty() {
            return Err(format!(
                "{} layer fixture cases do not match PyTorch ({}):\n{}",
                self.failures.len(),
                self.summary(),
                self.failures.join("\n")
            ));
        }
        if self.total_checked() == 0 {
            return Err("no layer fixture case was checked".to_string());
        }
        Ok(())
    }

    fn summary(&self) -> String {
        let list = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "layer fixtures: {} cases checked ({}); {} matched ({})",
            self.total_checked(),
            list(&self.checked),
            self.total_matched(),
            list(&self.matched)
        )
    }
}

fn fixture_path() -> PathBuf {
    match std::env::var_os("NNCOST_LAYER_FIXTURES") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/layers.jsonl"),
    }
}

/// The cases of the fixture file, one JSON value per non-empty line.
fn load_cases() -> Vec<Value> {
    let path = fixture_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read layer fixtures {}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{} line {}: not JSON: {e}", path.display(), i + 1))
        })
        .collect()
}

// ---- reading configs -------------------------------------------------------------------------

fn field<'a>(cfg: &'a Value, key: &str) -> Result<&'a Value, String> {
    cfg.get(key).ok_or_else(|| format!("config has no `{key}`"))
}

fn has(cfg: &Value, key: &str) -> bool {
    cfg.get(key).is_some_and(|v| !v.is_null())
}

fn uint(cfg: &Value, key: &str) -> Result<u64, String> {
    field(cfg, key)?
        .as_u64()
        .ok_or_else(|| format!("`{key}` is not a non-negative integer"))
}

fn int(cfg: &Value, key: &str) -> Result<i64, String> {
    field(cfg, key)?
        .as_i64()
        .ok_or_else(|| format!("`{key}` is not an integer"))
}

fn flag(cfg: &Value, key: &str) -> Result<bool, String> {
    field(cfg, key)?
        .as_bool()
        .ok_or_else(|| format!("`{key}` is not a boolean"))
}

fn uints(v: &Value, key: &str) -> Result<Vec<u64>, String> {
    v.as_array()
        .ok_or_else(|| format!("`{key}` is not a list"))?
        .iter()
        .map(|x| {
            x.as_u64()
                .ok_or_else(|| format!("`{key}` has a non-integer entry"))
        })
        .collect()
}

/// A per-dimension setting: an int (the same for every dim) or a list of `N` ints.
fn per_dim<const N: usize>(cfg: &Value, key: &str) -> Result<[u64; N], String> {
    let v = field(cfg, key)?;
    if let Some(x) = v.as_u64() {
        return Ok([x; N]);
    }
    let list = uints(v, key)?;
    list.try_into()
        .map_err(|l: Vec<u64>| format!("`{key}` has {} entries, expected {N}", l.len()))
}

fn shape(v: &Value) -> Result<Vec<u64>, String> {
    uints(v, "shape")
}

// ---- building layers -------------------------------------------------------------------------

macro_rules! conv {
    ($ty:ident, $n:literal, $cfg:expr, $transposed:tt) => {{
        let cfg = $cfg;
        let k = per_dim::<$n>(cfg, "kernel_size")?;
        let conv = $ty::new(uint(cfg, "out_channels")?, k[0])
            .in_channels(uint(cfg, "in_channels")?)
            .kernel_sizes(k)
            .strides(per_dim::<$n>(cfg, "stride")?)
            .paddings(per_dim::<$n>(cfg, "padding")?)
            .dilations(per_dim::<$n>(cfg, "dilation")?)
            .groups(uint(cfg, "groups")?)
            .bias(flag(cfg, "bias")?);
        conv!(@output_padding conv, cfg, $n, $transposed)
    }};
    (@output_padding $conv:expr, $cfg:expr, $n:literal, true) => {
        $conv.output_paddings(per_dim::<$n>($cfg, "output_padding")?).into_layer()
    };
    (@output_padding $conv:expr, $cfg:expr, $n:literal, false) => {
        $conv.into_layer()
    };
}

macro_rules! batch_norm {
    ($ty:ident, $cfg:expr) => {{
        let cfg = $cfg;
        let mut bn = $ty::new()
            .num_features(uint(cfg, "num_features")?)
            .affine(flag(cfg, "affine")?);
        if has(cfg, "track_running_stats") {
            bn = bn.track_running_stats(flag(cfg, "track_running_stats")?);
        }
        bn.into_layer()
    }};
}

macro_rules! pool {
    ($ty:ident, $n:literal, $cfg:expr, max) => {{
        let cfg = $cfg;
        let mut pool = pool!(@common $ty, $n, cfg);
        if has(cfg, "dilation") {
            pool = pool.dilations(per_dim::<$n>(cfg, "dilation")?);
        }
        pool.into_layer()
    }};
    ($ty:ident, $n:literal, $cfg:expr, avg) => {{
        let cfg = $cfg;
        let mut pool = pool!(@common $ty, $n, cfg);
        if has(cfg, "count_include_pad") {
            pool = pool.count_include_pad(flag(cfg, "count_include_pad")?);
        }
        pool.into_layer()
    }};
    (@common $ty:ident, $n:literal, $cfg:expr) => {{
        let cfg = $cfg;
        let k = per_dim::<$n>(cfg, "kernel_size")?;
        let mut pool = $ty::new(k[0]).kernel_sizes(k);
        if has(cfg, "stride") {
            pool = pool.strides(per_dim::<$n>(cfg, "stride")?);
        }
        if has(cfg, "padding") {
            pool = pool.paddings(per_dim::<$n>(cfg, "padding")?);
        }
        if has(cfg, "ceil_mode") {
            pool = pool.ceil_mode(flag(cfg, "ceil_mode")?);
        }
        pool
    }};
}

macro_rules! adaptive {
    ($ty:ident, $n:literal, $cfg:expr, ($($i:literal),+)) => {{
        let o = per_dim::<$n>($cfg, "output_size")?;
        $ty::new($(o[$i]),+).into_layer()
    }};
}

macro_rules! recurrent {
    ($ty:ident, $cfg:expr) => {{
        let cfg = $cfg;
        if has(cfg, "batch_first") && !flag(cfg, "batch_first")? {
            return Err("only batch_first=True cases are described".to_string());
        }
        if has(cfg, "proj_size") && uint(cfg, "proj_size")? != 0 {
            return Err("LSTM proj_size is not supported".to_string());
        }
        let mut rnn = $ty::new(uint(cfg, "hidden_size")?)
            .input_size(uint(cfg, "input_size")?)
            .num_layers(uint(cfg, "num_layers")?);
        if has(cfg, "bidirectional") {
            rnn = rnn.bidirectional(flag(cfg, "bidirectional")?);
        }
        if has(cfg, "bias") {
            rnn = rnn.bias(flag(cfg, "bias")?);
        }
        rnn.into_layer()
    }};
}

fn upsample(cfg: &Value) -> Result<Layer, String> {
    let up = if has(cfg, "size") {
        match shape(field(cfg, "size")?)?.as_slice() {
            [l] => Upsample::size([*l]),
            [h, w] => Upsample::size([*h, *w]),
            [d, h, w] => Upsample::size([*d, *h, *w]),
            other => return Err(format!("`size` has {} entries", other.len())),
        }
    } else {
        let sf = field(cfg, "scale_factor")?;
        match sf.as_u64() {
            Some(f) => Upsample::scale(f),
            None => match uints(sf, "scale_factor")?.as_slice() {
                [l] => Upsample::scales([*l]),
                [h, w] => Upsample::scales([*h, *w]),
                [d, h, w] => Upsample::scales([*d, *h, *w]),
                other => return Err(format!("`scale_factor` has {} entries", other.len())),
            },
        }
    };
    let mode = if has(cfg, "mode") {
        field(cfg, "mode")?
            .as_str()
            .ok_or("`mode` is not a string")?
    } else {
        "nearest"
    };
    let mut up = match mode {
        "nearest" => up.nearest(),
        "nearest-exact" => up.nearest_exact(),
        "linear" => up.linear(),
        "bilinear" => up.bilinear(),
        "bicubic" => up.bicubic(),
        "trilinear" => up.trilinear(),
        other => return Err(format!("unknown Upsample mode {other:?}")),
    };
    if has(cfg, "align_corners") {
        up = up.align_corners(flag(cfg, "align_corners")?);
    }
    Ok(up.into_layer())
}

/// The layer of kind `kind` with PyTorch constructor arguments `cfg`.
fn build(kind: &str, cfg: &Value) -> Result<Layer, String> {
    Ok(match kind {
        "Conv1d" => conv!(Conv1d, 1, cfg, false),
        "Conv2d" => conv!(Conv2d, 2, cfg, false),
        "Conv3d" => conv!(Conv3d, 3, cfg, false),
        "ConvTranspose1d" => conv!(ConvTranspose1d, 1, cfg, true),
        "ConvTranspose2d" => conv!(ConvTranspose2d, 2, cfg, true),
        "ConvTranspose3d" => conv!(ConvTranspose3d, 3, cfg, true),
        "Linear" => Linear::new(uint(cfg, "out_features")?)
            .in_features(uint(cfg, "in_features")?)
            .bias(flag(cfg, "bias")?)
            .into_layer(),
        "BatchNorm1d" => batch_norm!(BatchNorm1d, cfg),
        "BatchNorm2d" => batch_norm!(BatchNorm2d, cfg),
        "BatchNorm3d" => batch_norm!(BatchNorm3d, cfg),
        "GroupNorm" => GroupNorm::new(uint(cfg, "num_groups")?)
            .num_channels(uint(cfg, "num_channels")?)
            .affine(flag(cfg, "affine")?)
            .into_layer(),
        "LayerNorm" => {
            let normalized = field(cfg, "normalized_shape")?;
            let dims = match normalized.as_u64() {
                Some(d) => vec![d],
                None => shape(normalized)?,
            };
            let mut ln =
                LayerNorm::over(&dims).elementwise_affine(flag(cfg, "elementwise_affine")?);
            if has(cfg, "bias") {
                ln = ln.bias(flag(cfg, "bias")?);
            }
            ln.into_layer()
        }
        "Embedding" => {
            Embedding::new(uint(cfg, "num_embeddings")?, uint(cfg, "embedding_dim")?).into_layer()
        }
        "MaxPool1d" => pool!(MaxPool1d, 1, cfg, max),
        "MaxPool2d" => pool!(MaxPool2d, 2, cfg, max),
        "MaxPool3d" => pool!(MaxPool3d, 3, cfg, max),
        "AvgPool1d" => pool!(AvgPool1d, 1, cfg, avg),
        "AvgPool2d" => pool!(AvgPool2d, 2, cfg, avg),
        "AvgPool3d" => pool!(AvgPool3d, 3, cfg, avg),
        "AdaptiveAvgPool1d" => adaptive!(AdaptiveAvgPool1d, 1, cfg, (0)),
        "AdaptiveAvgPool2d" => adaptive!(AdaptiveAvgPool2d, 2, cfg, (0, 1)),
        "AdaptiveAvgPool3d" => adaptive!(AdaptiveAvgPool3d, 3, cfg, (0, 1, 2)),
        "AdaptiveMaxPool1d" => adaptive!(AdaptiveMaxPool1d, 1, cfg, (0)),
        "AdaptiveMaxPool2d" => adaptive!(AdaptiveMaxPool2d, 2, cfg, (0, 1)),
        "AdaptiveMaxPool3d" => adaptive!(AdaptiveMaxPool3d, 3, cfg, (0, 1, 2)),
        "Upsample" => upsample(cfg)?,
        "Flatten" => Flatten::new(
            if has(cfg, "start_dim") {
                int(cfg, "start_dim")?
            } else {
                1
            },
            if has(cfg, "end_dim") {
                int(cfg, "end_dim")?
            } else {
                -1
            },
        )
        .into_layer(),
        "Dropout" => match cfg.get("p").and_then(Value::as_f64) {
            Some(p) => Dropout::new(p).into_layer(),
            None => Dropout.into_layer(),
        },
        "RNN" => recurrent!(RNN, cfg),
        "LSTM" => recurrent!(LSTM, cfg),
        "GRU" => recurrent!(GRU, cfg),
        other => return Err(format!("unknown layer kind {other:?}")),
    })
}

/// The case's layer and the shape it is applied to (for `MultiheadAttention`, the query's).
fn build_case(kind: &str, cfg: &Value, input: &Value) -> Result<(Layer, Vec<u64>), String> {
    match kind {
        "MultiheadAttention" => attention(cfg, input),
        _ => Ok((build(kind, cfg)?, shape(input)?)),
    }
}

/// `nn.MultiheadAttention(embed_dim, num_heads, ..)` called as `mha(q, kv, kv)`: the layer takes
/// the query; the key/value sequence is declared with `.kv_len(S)`, `.kdim(K)`, `.vdim(K)`.
fn attention(cfg: &Value, input: &Value) -> Result<(Layer, Vec<u64>), String> {
    let inputs = input
        .as_array()
        .ok_or("`input` is not a list of two shapes")?;
    let [query, kv] = inputs.as_slice() else {
        return Err(format!(
            "MultiheadAttention takes [query_shape, key_value_shape], got {} shapes",
            inputs.len()
        ));
    };
    let (query, kv) = (shape(query)?, shape(kv)?);
    let (&[n, l, _], &[kv_n, s, kv_features]) = (query.as_slice(), kv.as_slice()) else {
        return Err("MultiheadAttention's inputs must be 3-D [N, L, E]".to_string());
    };
    if n != kv_n {
        return Err(format!("query batch {n} and key/value batch {kv_n} differ"));
    }
    if has(cfg, "query_len") && uint(cfg, "query_len")? != l {
        return Err("`query_len` disagrees with the query's shape".to_string());
    }
    if has(cfg, "key_len") && uint(cfg, "key_len")? != s {
        return Err("`key_len` disagrees with the key/value shape".to_string());
    }
    if has(cfg, "batch_first") && !flag(cfg, "batch_first")? {
        return Err("only batch_first=True cases are described".to_string());
    }
    let mut mha = MultiheadAttention::new(uint(cfg, "embed_dim")?, uint(cfg, "num_heads")?)
        .kv_len(s)
        .kdim(kv_features)
        .vdim(kv_features);
    if has(cfg, "bias") {
        mha = mha.bias(flag(cfg, "bias")?);
    }
    if has(cfg, "kdim") {
        mha = mha.kdim(uint(cfg, "kdim")?);
    }
    if has(cfg, "vdim") {
        mha = mha.vdim(uint(cfg, "vdim")?);
    }
    if has(cfg, "add_bias_kv") {
        mha = mha.add_bias_kv(flag(cfg, "add_bias_kv")?);
    }
    if has(cfg, "add_zero_attn") {
        mha = mha.add_zero_attn(flag(cfg, "add_zero_attn")?);
    }
    Ok((mha.into_layer(), query))
}

/// Builds the layer, turning a builder's panic (an invalid setting) into an error.
fn build_caught(kind: &str, cfg: &Value, input: &Value) -> Result<(Layer, Vec<u64>), String> {
    match catch_unwind(AssertUnwindSafe(|| build_case(kind, cfg, input))) {
        Ok(result) => result,
        Err(panic) => Err(match panic.downcast_ref::<String>() {
            Some(msg) => format!("builder panicked: {msg}"),
            None => match panic.downcast_ref::<&str>() {
                Some(msg) => format!("builder panicked: {msg}"),
                None => "builder panicked".to_string(),
            },
        }),
    }
}

// ---- comparing -------------------------------------------------------------------------------

/// The figures a case records.
#[derive(Debug, PartialEq, Eq)]
struct Figures {
    output: Vec<u64>,
    params: u64,
    buffers: u64,
    macs: u64,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "output {:?}, params {}, buffers {}, macs {}",
            self.output, self.params, self.buffers, self.macs
        )
    }
}

fn expected(case: &Value) -> Result<Figures, String> {
    Ok(Figures {
        output: shape(field(case, "output")?)?,
        params: uint(case, "params")?,
        buffers: uint(case, "buffers")?,
        macs: uint(case, "macs")?,
    })
}

/// Checks every case, collecting every failure.
fn check(cases: &[Value]) -> Outcome {
    let mut outcome = Outcome::default();
    for (index, case) in cases.iter().enumerate() {
        let kind = case.get("layer").and_then(Value::as_str).unwrap_or("?");
        let config = case.get("config").cloned().unwrap_or(Value::Null);
        let input = case.get("input").cloned().unwrap_or(Value::Null);
        let head = format!(
            "case {index} (line {}) {kind} {config} on {input}",
            index + 1
        );
        let (layer, dims) = match build_caught(kind, &config, &input) {
            Ok(built) => built,
            Err(e) => {
                outcome.failures.push(format!("{head}: cannot build: {e}"));
                continue;
            }
        };
        *outcome.checked.entry(kind.to_string()).or_default() += 1;
        let want = match expected(case) {
            Ok(want) => want,
            Err(e) => {
                outcome
                    .failures
                    .push(format!("{head}: bad expectation: {e}"));
                continue;
            }
        };
        match layer.apply(&Shape::new(&dims)) {
            Ok((out, cost)) => {
                let got = Figures {
                    output: out.dims().to_vec(),
                    params: cost.params,
                    buffers: cost.buffers,
                    macs: cost.macs,
                };
                if got != want {
                    let mut differ = Vec::new();
                    if got.output != want.output {
                        differ.push("output");
                    }
                    if got.params != want.params {
                        differ.push("params");
                    }
                    if got.buffers != want.buffers {
                        differ.push("buffers");
                    }
                    if got.macs != want.macs {
                        differ.push("macs");
                    }
                    outcome.failures.push(format!(
                        "{head}: {} differ\n    expected {want}\n    got      {got}",
                        differ.join(", ")
                    ));
                } else {
                    *outcome.matched.entry(kind.to_string()).or_default() += 1;
                }
            }
            Err(problem) => {
                let mut m = Message::new();
                problem.write(&mut m);
                outcome.failures.push(format!(
                    "{head}: expected {want}, got an error: {}",
                    m.as_str()
                ));
            }
        }
    }
    outcome
}

#[test]
fn layer_fixtures_match_pytorch() {
    let cases = load_cases();
    let outcome = check(&cases);
    println!("{}", outcome.summary());
    if let Err(report) = outcome.verdict() {
        panic!("{report}");
    }
    // No case is left out: every one was built, compared and matched.
    assert_eq!(outcome.total_checked(), cases.len());
    assert_eq!(outcome.total_matched(), cases.len());
}

#[test]
fn fixture_comparison_reports_every_mismatch() {
    let cases = load_cases();
    let first = |kind: &str| {
        cases
            .iter()
            .position(|c| c["layer"] == kind)
            .unwrap_or_else(|| panic!("the fixtures have no {kind} case"))
    };
    let conv = first("Conv2d");
    let pool = first("MaxPool2d");
    let norm = first("BatchNorm2d");

    // Three altered cases among untouched ones: each is reported, with its index.
    let mut altered = cases.clone();
    altered[conv]["params"] = (altered[conv]["params"].as_u64().unwrap() + 1).into();
    altered[pool]["output"][2] = (altered[pool]["output"][2].as_u64().unwrap() + 1).into();
    altered[norm]["buffers"] = 0.into();
    let outcome = check(&altered);
    assert_eq!(outcome.failures.len(), 3, "{:#?}", outcome.failures);
    assert!(outcome
        .failures
        .iter()
        .any(|f| f.starts_with(&format!("case {conv} ")) && f.contains("params differ")));
    assert!(outcome
        .failures
        .iter()
        .any(|f| f.starts_with(&format!("case {pool} ")) && f.contains("output differ")));
    assert!(outcome
        .failures
        .iter()
        .any(|f| f.starts_with(&format!("case {norm} ")) && f.contains("buffers differ")));
    assert!(outcome.verdict().is_err());

    // MACs are compared too.
    let mut one = vec![cases[conv].clone()];
    one[0]["macs"] = 0.into();
    assert!(check(&one).failures[0].contains("macs differ"));

    // An unknown kind fails.
    let mut strange = cases[conv].clone();
    strange["layer"] = "Bogus3d".into();
    let outcome = check(&[strange]);
    assert_eq!(outcome.failures.len(), 1);
    assert!(outcome.failures[0].contains("unknown layer kind \"Bogus3d\""));

    // Sequence layers are checked like the others. A longer key/value sequence changes the
    // attention's MACs; a wrong LSTM or GRU figure is caught.
    let mha = first("MultiheadAttention");
    let mut longer = cases[mha].clone();
    let s = longer["input"][1][1].as_u64().unwrap() + 1;
    longer["input"][1][1] = s.into();
    longer["config"]["key_len"] = s.into();
    let outcome = check(&[longer]);
    assert_eq!(outcome.total_checked(), 1);
    assert_eq!(outcome.failures.len(), 1, "{:#?}", outcome.failures);
    assert!(outcome.failures[0].contains("macs differ"));
    let mut inconsistent = cases[mha].clone();
    inconsistent["config"]["key_len"] = 99.into();
    assert!(check(&[inconsistent]).failures[0].contains("cannot build"));
    for kind in ["LSTM", "GRU"] {
        let mut rnn = cases[first(kind)].clone();
        rnn["params"] = (rnn["params"].as_u64().unwrap() - 1).into();
        let outcome = check(&[rnn]);
        assert_eq!(outcome.total_checked(), 1);
        assert!(outcome.failures[0].contains("params differ"), "{kind}");
    }

    // Nothing checked is a failure.
    assert!(check(&[]).verdict().is_err());
    assert!(check(&cases[conv..=conv]).verdict().is_ok());
}
