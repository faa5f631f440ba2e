//! YAML 1.1 implicit resolution, as PyYAML's resolvers do it: which tag a plain scalar
//! gets (`yes` is a bool, `010` an int, `1:30` sexagesimal, `2024-01-02` a timestamp).
//! Shared by the emitter (a string that would resolve to another type must be quoted) and
//! the manifest loader of `certify` (what a hand-edited value means).

/// PyYAML's implicit resolvers, in registration order.
pub(crate) fn implicit_tag(text: &str) -> &'static str {
    if is_bool(text) {
        "bool"
    } else if is_float(text) {
        "float"
    } else if is_int(text) {
        "int"
    } else if text == "<<" {
        "merge"
    } else if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        "null"
    } else if is_timestamp(text) {
        "timestamp"
    } else if text == "=" {
        "value"
    } else {
        "str"
    }
}

fn is_bool(text: &str) -> bool {
    matches!(
        text,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

/// A cursor over ASCII text for hand-written versions of PyYAML's resolver patterns.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, pred: impl Fn(u8) -> bool) -> bool {
        match self.peek() {
            Some(b) if pred(b) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn eat_byte(&mut self, byte: u8) -> bool {
        self.eat(|b| b == byte)
    }

    /// Eats as many as match; returns how many.
    fn eat_many(&mut self, pred: impl Fn(u8) -> bool) -> usize {
        let start = self.pos;
        while self.eat(&pred) {}
        self.pos - start
    }

    fn eat_sign(&mut self) {
        self.eat(|b| b == b'-' || b == b'+');
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }

    /// `[eE][-+][0-9]+`, optional.
    fn eat_exponent(&mut self) -> bool {
        let save = self.pos;
        if self.eat(|b| b == b'e' || b == b'E')
            && self.eat(|b| b == b'-' || b == b'+')
            && self.eat_many(|b| b.is_ascii_digit()) > 0
        {
            return true;
        }
        self.pos = save;
        false
    }

    /// `(:[0-5]?[0-9])+`; at least one group.
    fn eat_sexagesimal_groups(&mut self) -> bool {
        let mut groups = 0;
        loop {
            let save = self.pos;
            if !self.eat_byte(b':') {
                break;
            }
            let first = self.peek();
            let second = self.bytes.get(self.pos + 1).copied();
            match (first, second) {
                (Some(a @ b'0'..=b'5'), Some(b)) if b.is_ascii_digit() => {
                    let _ = a;
                    self.pos += 2;
                }
                (Some(a), _) if a.is_ascii_digit() => self.pos += 1,
                _ => {
                    self.pos = save;
                    break;
                }
            }
            groups += 1;
        }
        groups > 0
    }
}

fn digit_or_underscore(b: u8) -> bool {
    b.is_ascii_digit() || b == b'_'
}

fn is_float(text: &str) -> bool {
    let alternatives: [fn(&mut Cursor) -> bool; 5] = [
        // [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?
        |c| {
            c.eat_sign();
            c.eat(|b| b.is_ascii_digit())
                && {
                    c.eat_many(digit_or_underscore);
                    c.eat_byte(b'.')
                }
                && {
                    c.eat_many(digit_or_underscore);
                    c.eat_exponent();
                    true
                }
        },
        // \.[0-9][0-9_]*([eE][-+][0-9]+)?
        |c| {
            c.eat_byte(b'.') && c.eat(|b| b.is_ascii_digit()) && {
                c.eat_many(digit_or_underscore);
                c.eat_exponent();
                true
            }
        },
        // [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
        |c| {
            c.eat_sign();
            c.eat(|b| b.is_ascii_digit())
                && {
                    c.eat_many(digit_or_underscore);
                    c.eat_sexagesimal_groups()
                }
                && c.eat_byte(b'.')
                && {
                    c.eat_many(digit_or_underscore);
                    true
                }
        },
        // [-+]?\.(inf|Inf|INF)
        |c| {
            c.eat_sign();
            let rest = &c.bytes[c.pos..];
            let ok = matches!(rest, b".inf" | b".Inf" | b".INF");
            c.pos = c.bytes.len();
            ok
        },
        // \.(nan|NaN|NAN)
        |c| {
            let ok = matches!(c.bytes, b".nan" | b".NaN" | b".NAN");
            c.pos = c.bytes.len();
            ok
        },
    ];
    full_match(text, &alternatives)
}

fn is_int(text: &str) -> bool {
    let alternatives: [fn(&mut Cursor) -> bool; 5] = [
        // [-+]?0b[0-1_]+
        |c| {
            c.eat_sign();
            c.eat_byte(b'0')
                && c.eat_byte(b'b')
                && c.eat_many(|b| b == b'0' || b == b'1' || b == b'_') > 0
        },
        // [-+]?0[0-7_]+
        |c| {
            c.eat_sign();
            c.eat_byte(b'0') && c.eat_many(|b| (b'0'..=b'7').contains(&b) || b == b'_') > 0
        },
        // [-+]?(0|[1-9][0-9_]*)
        |c| {
            c.eat_sign();
            c.eat_byte(b'0')
                || (c.eat(|b| (b'1'..=b'9').contains(&b)) && {
                    c.eat_many(digit_or_underscore);
                    true
                })
        },
        // [-+]?0x[0-9a-fA-F_]+
        |c| {
            c.eat_sign();
            c.eat_byte(b'0')
                && c.eat_byte(b'x')
                && c.eat_many(|b| b.is_ascii_hexdigit() || b == b'_') > 0
        },
        // [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+
        |c| {
            c.eat_sign();
            c.eat(|b| (b'1'..=b'9').contains(&b)) && {
                c.eat_many(digit_or_underscore);
                c.eat_sexagesimal_groups()
            }
        },
    ];
    full_match(text, &alternatives)
}

/// Whether any alternative consumes the whole text. The alternatives are greedy without
/// backtracking, which is exact for these patterns: each repeated class stops at a byte the
/// next element cannot start with.
fn full_match(text: &str, alternatives: &[fn(&mut Cursor) -> bool]) -> bool {
    alternatives.iter().any(|alt| {
        let mut c = Cursor::new(text);
        alt(&mut c) && c.done()
    })
}

/// The parts of a timestamp that PyYAML's constructor reads.
pub(crate) struct TimestampParts {
    pub(crate) year: u32,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) time: Option<(u32, u32, u32, u32, Option<i32>)>,
}

fn digits(c: &mut Cursor, min: usize, max: usize) -> Option<u32> {
    let start = c.pos;
    while c.pos - start < max && c.eat(|b| b.is_ascii_digit()) {}
    let n = c.pos - start;
    if n < min {
        return None;
    }
    std::str::from_utf8(&c.bytes[start..c.pos])
        .ok()?
        .parse()
        .ok()
}

/// PyYAML's timestamp resolver, returning the constructor's fields. The resolver accepts a
/// date alone only as `YYYY-MM-DD`; with a time, one-digit months and days are allowed.
pub(crate) fn parse_timestamp(text: &str) -> Option<TimestampParts> {
    let mut c = Cursor::new(text);
    let year = digits(&mut c, 4, 4)?;
    if !c.eat_byte(b'-') {
        return None;
    }
    let month = digits(&mut c, 1, 2)?;
    if !c.eat_byte(b'-') {
        return None;
    }
    let day = digits(&mut c, 1, 2)?;
    if c.done() {
        // The date-only form needs two digits each.
        return (text.len() == 10).then_some(TimestampParts {
            year,
            month,
            day,
            time: None,
        });
    }
    if !(c.eat(|b| b == b'T' || b == b't') || c.eat_many(|b| b == b' ' || b == b'\t') > 0) {
        return None;
    }
    let hour = digits(&mut c, 1, 2)?;
    let minute = (c.eat_byte(b':')).then(|| digits(&mut c, 2, 2)).flatten()?;
    let second = (c.eat_byte(b':')).then(|| digits(&mut c, 2, 2)).flatten()?;
    let mut micro = 0;
    if c.eat_byte(b'.') {
        let start = c.pos;
        c.eat_many(|b| b.is_ascii_digit());
        let frac = std::str::from_utf8(&c.bytes[start..c.pos]).ok()?;
        if !frac.is_empty() {
            let mut six: String = frac.chars().take(6).collect();
            while six.len() < 6 {
                six.push('0');
            }
            micro = six.parse().ok()?;
        }
    }
    let save = c.pos;
    c.eat_many(|b| b == b' ' || b == b'\t');
    let offset = if c.eat_byte(b'Z') {
        Some(0)
    } else if let Some(sign @ (b'-' | b'+')) = c.peek() {
        c.pos += 1;
        let h = digits(&mut c, 1, 2)? as i32;
        let m = if c.eat_byte(b':') {
            digits(&mut c, 2, 2)? as i32
        } else {
            0
        };
        let total = h * 60 + m;
        Some(if sign == b'-' { -total } else { total })
    } else {
        c.pos = save;
        None
    };
    c.done().then_some(TimestampParts {
        year,
        month,
        day,
        time: Some((hour, minute, second, micro, offset)),
    })
}

fn is_timestamp(text: &str) -> bool {
    parse_timestamp(text).is_some()
}
