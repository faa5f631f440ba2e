//! A [`Node`] as plain data (serde), so a generated document can be handed to other code
//! (JSON, a Python dict) with its key order.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::emit::Node;

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Str(text) => serializer.serialize_str(text),
            Node::Bool(value) => serializer.serialize_bool(*value),
            Node::Int(value) => serializer.serialize_i64(*value),
            Node::Seq(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key.as_ref(), value)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_serializes_in_its_own_order() {
        let node = Node::map()
            .with("z", Node::Int(1))
            .with("a", Node::Seq(vec![Node::str("x"), Node::Bool(false)]))
            .with("m", Node::map());
        assert_eq!(
            serde_json::to_string(&node).unwrap(),
            r#"{"z":1,"a":["x",false],"m":{}}"#
        );
    }
}
