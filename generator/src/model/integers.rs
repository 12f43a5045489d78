//! Integer widths: the Rust integer type of an `integer` schema, from its `format` or its range,
//! and what each type holds.

use super::build::Builder;
use super::docs::fmt_number;
use super::*;
use crate::load::Schema;

/// The integer type for a schema: from `format` when given, otherwise the smallest type that
/// holds the declared range (`i64` when the range is open below, `u64` when only open above).
pub(super) fn int_type(s: &Schema) -> IntType {
    match s.format.as_deref() {
        Some("int8") => return IntType::I8,
        Some("int16") => return IntType::I16,
        Some("int32") => return IntType::I32,
        Some("int64") => return IntType::I64,
        Some("uint8") => return IntType::U8,
        Some("uint16") => return IntType::U16,
        Some("uint32") => return IntType::U32,
        Some("uint64") => return IntType::U64,
        _ => {}
    }
    let lo = s.minimum.or(s.exclusive_minimum.map(|m| m + 1.0));
    let hi = s.maximum.or(s.exclusive_maximum.map(|m| m - 1.0));
    match (lo, hi) {
        (Some(lo), Some(hi)) if lo >= 0.0 => {
            if hi <= u8::MAX as f64 {
                IntType::U8
            } else if hi <= u16::MAX as f64 {
                IntType::U16
            } else if hi <= u32::MAX as f64 {
                IntType::U32
            } else {
                IntType::U64
            }
        }
        (Some(lo), None) if lo >= 0.0 => IntType::U64,
        (Some(lo), Some(hi)) => {
            if lo >= i8::MIN as f64 && hi <= i8::MAX as f64 {
                IntType::I8
            } else if lo >= i16::MIN as f64 && hi <= i16::MAX as f64 {
                IntType::I16
            } else if lo >= i32::MIN as f64 && hi <= i32::MAX as f64 {
                IntType::I32
            } else {
                IntType::I64
            }
        }
        _ => IntType::I64,
    }
}

/// The smallest and largest value of an integer type.
pub(super) fn int_range(t: IntType) -> (i128, i128) {
    match t {
        IntType::I8 => (i8::MIN.into(), i8::MAX.into()),
        IntType::I16 => (i16::MIN.into(), i16::MAX.into()),
        IntType::I32 => (i32::MIN.into(), i32::MAX.into()),
        IntType::I64 => (i64::MIN.into(), i64::MAX.into()),
        IntType::U8 => (0, u8::MAX.into()),
        IntType::U16 => (0, u16::MAX.into()),
        IntType::U32 => (0, u32::MAX.into()),
        IntType::U64 => (0, u64::MAX.into()),
    }
}

impl Builder<'_> {
    /// Warns when an integer's range goes beyond what its 64-bit Rust type holds (a `maximum` of
    /// `1e30`, or above `i64::MAX` for an `i64`): it cannot hold every value the spec allows.
    pub(super) fn check_64_bits(&mut self, s: &Schema, t: IntType) {
        let lo = s.minimum.map(|v| ("minimum", v)).or(s.exclusive_minimum.map(|v| ("exclusiveMinimum", v)));
        let hi = s.maximum.map(|v| ("maximum", v)).or(s.exclusive_maximum.map(|v| ("exclusiveMaximum", v)));
        // As `f64`s: a bound written as `-9223372036854776000` (how JavaScript prints the
        // smallest `i64`) means the smallest `i64`.
        let (min, max) = match t {
            IntType::I64 => (i64::MIN as f64, i64::MAX as f64),
            IntType::U64 => (0.0, u64::MAX as f64),
            _ => return,
        };
        let beyond = [lo.filter(|(_, v)| *v < min), hi.filter(|(_, v)| *v > max)];
        for (keyword, value) in beyond.into_iter().flatten() {
            let written = s.number_text.get(keyword).cloned().unwrap_or_else(|| fmt_number(value));
            let rust = format!("{t:?}").to_lowercase();
            self.warn(
                &s.pointer,
                format!("the {keyword} {written} is outside what `{rust}` holds: values beyond it do not decode"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_types_fit_the_range() {
        let s = |min: Option<f64>, max: Option<f64>| Schema { minimum: min, maximum: max, ..Schema::default() };
        assert_eq!(int_type(&s(Some(1.0), Some(100.0))), IntType::U8);
        assert_eq!(int_type(&s(Some(0.0), None)), IntType::U64);
        assert_eq!(int_type(&s(Some(-5.0), Some(5.0))), IntType::I8);
        assert_eq!(int_type(&s(None, None)), IntType::I64);
        assert_eq!(int_type(&Schema { format: Some("int32".into()), ..s(Some(0.0), None) }), IntType::I32);
    }
}
