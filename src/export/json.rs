//! JSON (feature `serde`): the report as a versioned document, and back.

use std::borrow::Cow;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::snapshot::{Snapshot, Values, SCHEMA_VERSION};
use crate::Summary;

impl Serialize for Values {
    /// A JSON object, keys in order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self.iter() {
            map.serialize_entry(key, &value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Values {
    /// A JSON object of numbers, keys kept in the order read (unknown ones too).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Values, D::Error> {
        struct ValuesVisitor;
        impl<'de> Visitor<'de> for ValuesVisitor {
            type Value = Values;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of non-negative integers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Values, A::Error> {
                let mut values = Values::default();
                while let Some((key, value)) = map.next_entry::<String, u64>()? {
                    values.insert(Cow::Owned(key), value);
                }
                Ok(values)
            }
        }
        deserializer.deserialize_map(ValuesVisitor)
    }
}

/// A report that could not be read: not JSON of the right shape, or a newer schema.
#[derive(Debug)]
pub enum JsonError {
    /// Not a report: the JSON error says where.
    Parse(serde_json::Error),
    /// Written by a newer nncost, with a layout this one does not know.
    Version {
        /// The report's `schema_version`.
        found: u32,
        /// The newest this version reads, [`SCHEMA_VERSION`].
        supported: u32,
    },
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Parse(e) => write!(f, "not an nncost report: {e}"),
            JsonError::Version { found, supported } => write!(
                f,
                "the report has schema version {found}; this nncost reads up to {supported} (update nncost)"
            ),
        }
    }
}

impl std::error::Error for JsonError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JsonError::Parse(e) => Some(e),
            JsonError::Version { .. } => None,
        }
    }
}

/// `value` as JSON on one line.
fn compact<T: Serialize>(value: &T) -> String {
    // Strings, integers, lists and maps with string keys: serializing cannot fail.
    serde_json::to_string(value).expect("a report always serializes")
}

impl Snapshot {
    /// The report as JSON, one field and one layer a line ([the schema](crate::export#json-schema)).
    ///
    /// ```
    /// use nncost::export::Snapshot;
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(16)]
    ///     model Mlp { fc: Linear::new(4) }
    /// }
    /// let json = Snapshot::of::<Mlp>().to_json();
    /// assert!(json.contains("\"schema_version\": 1"));
    /// assert!(json.contains("\"figures\": {\"params\":68,"));
    /// ```
    pub fn to_json(&self) -> String {
        // One field a line and one layer a line, so that a change to a layer is a one-line
        // diff in version control (serde_json's pretty printer puts every number on a line).
        let fields = [
            ("schema_version", compact(&self.schema_version)),
            ("generator", compact(&self.generator)),
            ("model", compact(&self.model)),
            ("input", compact(&self.input)),
            ("output", compact(&self.output)),
            ("inputs", compact(&self.inputs)),
            ("outputs", compact(&self.outputs)),
            ("dtypes", compact(&self.dtypes)),
            (
                "cached",
                self.cached.map(|c| compact(&c)).unwrap_or_default(),
            ),
            ("figures", compact(&self.figures)),
            ("operators", compact(&self.operators)),
        ];
        let mut out = String::from("{\n");
        // An absent field (`cached` for a pass with no cache) is not written.
        for (key, value) in fields.iter().filter(|(_, value)| !value.is_empty()) {
            out.push_str(&format!("  \"{key}\": {value},\n"));
        }
        out.push_str("  \"layers\": [");
        for (i, layer) in self.layers.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&compact(layer));
        }
        out.push_str(if self.layers.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        out
    }

    /// Reads a report written by [`Snapshot::to_json`] (this version or an older one with the
    /// same schema version; unknown keys are kept, missing figures are absent).
    ///
    /// ```
    /// use nncost::export::Snapshot;
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(16)]
    ///     model Mlp { fc: Linear::new(4) }
    /// }
    /// let saved = Snapshot::of::<Mlp>();
    /// assert_eq!(Snapshot::from_json(&saved.to_json()).unwrap(), saved);
    /// assert!(Snapshot::from_json("{}").is_err());
    /// ```
    pub fn from_json(json: &str) -> Result<Snapshot, JsonError> {
        /// Just the version, read first so that a newer layout is reported as such.
        #[derive(Deserialize)]
        struct Version {
            schema_version: u32,
        }
        let version: Version = serde_json::from_str(json).map_err(JsonError::Parse)?;
        if version.schema_version > SCHEMA_VERSION {
            return Err(JsonError::Version {
                found: version.schema_version,
                supported: SCHEMA_VERSION,
            });
        }
        serde_json::from_str(json).map_err(JsonError::Parse)
    }
}

impl Summary {
    /// The rows this summary shows as JSON: [`Snapshot::to_json`] of [`Summary::snapshot`].
    ///
    /// ```
    /// use nncost::prelude::*;
    /// network! {
    ///     #[input(16)]
    ///     model Mlp { fc: Linear::new(4) }
    /// }
    /// let path = std::env::temp_dir().join("Mlp.json");
    /// std::fs::write(&path, Mlp::summary().to_json()).unwrap();
    /// # std::fs::remove_file(path).unwrap();
    /// ```
    pub fn to_json(&self) -> String {
        self.snapshot().to_json()
    }
}
