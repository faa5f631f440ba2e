//! Unbounded non-negative integers, just enough to read YAML integers the way Python does
//! (any size, bases 2, 8, 10, 16 and base-60 "sexagesimal") and print them in decimal.

const BASE: u64 = 1_000_000_000;

/// A non-negative integer, little-endian limbs in base 10⁹, no trailing zero limbs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BigUint {
    limbs: Vec<u32>,
}

impl BigUint {
    /// Zero.
    pub fn zero() -> BigUint {
        BigUint::default()
    }

    /// A machine integer.
    pub fn from_u64(value: u64) -> BigUint {
        let mut n = BigUint::zero();
        n.mul_add(1, value);
        n
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    /// `self = self * factor + addend`.
    pub fn mul_add(&mut self, factor: u64, addend: u64) {
        let mut carry = u128::from(addend);
        for limb in &mut self.limbs {
            let v = u128::from(*limb) * u128::from(factor) + carry;
            *limb = (v % u128::from(BASE)) as u32;
            carry = v / u128::from(BASE);
        }
        while carry > 0 {
            self.limbs.push((carry % u128::from(BASE)) as u32);
            carry /= u128::from(BASE);
        }
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    /// `self += other`.
    pub fn add(&mut self, other: &BigUint) {
        let mut carry = 0u64;
        for i in 0..self.limbs.len().max(other.limbs.len()) {
            let a = u64::from(self.limbs.get(i).copied().unwrap_or(0));
            let b = u64::from(other.limbs.get(i).copied().unwrap_or(0));
            let v = a + b + carry;
            if i < self.limbs.len() {
                self.limbs[i] = (v % BASE) as u32;
            } else {
                self.limbs.push((v % BASE) as u32);
            }
            carry = v / BASE;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
    }

    /// Parses digits in `radix` (2..=16); `None` when empty or a digit is out of range.
    pub fn parse(digits: &str, radix: u32) -> Option<BigUint> {
        if digits.is_empty() {
            return None;
        }
        let mut n = BigUint::zero();
        for c in digits.chars() {
            let d = c.to_digit(radix)?;
            n.mul_add(u64::from(radix), u64::from(d));
        }
        Some(n)
    }

    /// Decimal digits, `"0"` for zero.
    pub fn to_decimal(&self) -> String {
        let Some((last, rest)) = self.limbs.split_last() else {
            return "0".to_owned();
        };
        let mut out = last.to_string();
        for limb in rest.iter().rev() {
            out.push_str(&format!("{limb:09}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_base_and_prints_decimal() {
        let cases = [
            ("0", 10, "0"),
            ("1010", 2, "10"),
            ("17", 8, "15"),
            ("ff", 16, "255"),
            (
                "123456789012345678901234567890",
                10,
                "123456789012345678901234567890",
            ),
            (
                "ffffffffffffffffffffffffffffffff",
                16,
                "340282366920938463463374607431768211455",
            ),
        ];
        for (digits, radix, decimal) in cases {
            assert_eq!(
                BigUint::parse(digits, radix).map(|n| n.to_decimal()),
                Some(decimal.to_owned()),
                "{digits} in base {radix}"
            );
        }
        assert_eq!(BigUint::parse("", 10), None);
        assert_eq!(BigUint::parse("19", 8), None);
    }

    #[test]
    fn adds_with_carry() {
        let mut a = BigUint::parse("999999999999999999", 10).unwrap_or_default();
        a.add(&BigUint::from_u64(1));
        assert_eq!(a.to_decimal(), "1000000000000000000");
    }
}
