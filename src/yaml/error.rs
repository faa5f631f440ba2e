//! Why a YAML document cannot be loaded the way PyYAML's `safe_load` loads it.
//!
//! The YAML layer sits below the model, so its error lives here; `model::error` re-exports
//! it beside the other layers' errors.

/// A document PyYAML's `safe_load` would refuse, or one past a loader cap. Messages are
/// lowercase and one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    /// The scanner or parser refused the text (its message, with line and column).
    #[error("{0}")]
    Syntax(String),
    /// The bytes are not UTF-8 text.
    #[error("{0}")]
    Encoding(String),
    /// A character PyYAML's reader refuses anywhere in the input.
    #[error(
        "unacceptable character #x{code:04x} at byte {index}: special characters are not allowed"
    )]
    Unprintable {
        /// The character's code point.
        code: u32,
        /// Its byte offset.
        index: usize,
    },
    /// A tab where PyYAML's scanner refuses one.
    #[error("line {0}: found a tab character that cannot start any token")]
    Tab(usize),
    /// The stream holds a second document.
    #[error("expected a single document in the stream, but found another document at line {0}")]
    SecondDocument(usize),
    /// The parser's events do not form a document (never for text the parser accepted).
    #[error("{0}")]
    Stream(String),
    /// A scalar its tag cannot construct (`!!int x`, a date that does not exist, bad base64).
    #[error("{0}")]
    Scalar(String),
    /// A node PyYAML's constructor refuses: a merge key out of place, an unhashable key, a
    /// tag on the wrong kind of node.
    #[error("{0}")]
    Node(String),
    /// The document expands to more values than the loader builds (an alias bomb).
    #[error("the document expands to too many values (alias expansion)")]
    TooLarge,
    /// Collections nest deeper than the loader follows, in the text or through aliases.
    #[error("collections nest deeper than {0} levels")]
    TooDeep(usize),
    /// Where in the document the error is.
    #[error("line {line}: {error}")]
    At {
        /// The line, from 0 as the parser counts.
        line: usize,
        /// The error there.
        error: Box<YamlError>,
    },
}

impl YamlError {
    /// The same error, placed at `line`.
    pub(crate) fn at(self, line: usize) -> Self {
        YamlError::At {
            line,
            error: Box::new(self),
        }
    }
}
