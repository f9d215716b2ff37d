//! Small numbers in aggregate views (evaluations, reports): a count under five is shown as
//! "< 5", so a small group cannot be re-identified. Never shown beside a list of the people
//! counted, where it would hide nothing.

/// Counts below this are suppressed.
pub const SMALL_COUNT_LIMIT: u32 = 5;

/// `count` as an aggregate view shows it: "< 5" under five.
pub fn small_count_nl(count: u32) -> String {
    if count < SMALL_COUNT_LIMIT {
        "< 5".to_owned()
    } else {
        count.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_hidden() {
        assert_eq!(small_count_nl(0), "< 5");
        assert_eq!(small_count_nl(4), "< 5");
        assert_eq!(small_count_nl(5), "5");
    }
}
