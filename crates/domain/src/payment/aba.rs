//! Bank routing (ABA) numbers and bank account numbers as a customer types
//! them, and the masked form shown back to them.
//!
//! A routing number is 9 digits `TTTTAAAAC`: an 8-digit institution id and a
//! check digit. The digits weighted 3, 7, 1, 3, 7, 1, 3, 7, 1 must add up to a
//! multiple of 10. The first two digits must also be a range the Federal
//! Reserve assigns to banks that can receive ACH entries: 01–12 (Federal
//! Reserve districts), 21–32 (thrifts) or 61–72 (electronic transaction
//! identifiers). `00` (U.S. Government) and `80` (traveler's checks) pass the
//! checksum but cannot be debited by ACH, so they are refused like any other
//! invalid number — otherwise `000000000` would be "valid".

use std::fmt;

/// The 3-7-1 weights of the ABA checksum, one per digit.
const WEIGHTS: [u32; 9] = [3, 7, 1, 3, 7, 1, 3, 7, 1];

/// A routing number that passed [`validate_routing`]: exactly 9 ASCII digits
/// with a correct check digit and an ACH-eligible prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoutingNumber(String);

impl RoutingNumber {
    /// The 9 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 8 digits: the receiving DFI identification of a NACHA entry
    /// (and the part summed into an entry hash).
    pub fn dfi_id(&self) -> &str {
        self.0.get(..8).unwrap_or_default()
    }

    /// The 9th digit, the check digit.
    pub fn check_digit(&self) -> char {
        self.0.chars().nth(8).unwrap_or('0')
    }
}

impl fmt::Display for RoutingNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a routing number was refused. `Display` is a sentence a customer can
/// act on, meant to be shown beside the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    /// Nothing was typed.
    #[error("Enter the 9-digit routing number of your bank")]
    Empty,
    /// Not exactly 9 digits (or something other than digits was typed).
    #[error("A routing number has 9 digits")]
    Length,
    /// 9 digits whose check digit does not match.
    #[error("This routing number isn't valid — check it against the one printed on your checks")]
    Checksum,
    /// 9 digits with a correct check digit but a prefix no ACH bank uses.
    #[error("This routing number isn't valid — check it against the one printed on your checks")]
    NotAchBank,
}

/// Why a bank account number was refused (`Display` is for the customer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Nothing was typed.
    #[error("Enter your account number")]
    Empty,
    /// Something other than digits, spaces and dashes.
    #[error("An account number has only digits")]
    NotDigits,
    /// Fewer than 4 or more than 17 digits.
    #[error("An account number has 4 to 17 digits")]
    Length,
}

/// The ABA check digit of the first 8 digits `dfi`, or `None` when `dfi` is
/// not exactly 8 ASCII digits. The check digit is whatever brings the 3-7-1
/// weighted sum up to a multiple of 10.
pub fn check_digit(dfi: &str) -> Option<u8> {
    if dfi.len() != 8 || !dfi.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = dfi.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    u8::try_from((10 - sum % 10) % 10).ok()
}

/// Checks a routing number as typed. Spaces and dashes are ignored (people
/// copy "021-000-021" or "0210 0002 1"); anything else that is not a digit
/// makes it invalid.
///
/// ```
/// use portico_domain::payment::aba::{validate_routing, RoutingError};
/// assert_eq!(validate_routing(" 021000021 ").unwrap().as_str(), "021000021");
/// assert_eq!(validate_routing("021000022"), Err(RoutingError::Checksum));
/// assert_eq!(validate_routing("02100002"), Err(RoutingError::Length));
/// ```
pub fn validate_routing(input: &str) -> Result<RoutingNumber, RoutingError> {
    let cleaned: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if cleaned.is_empty() {
        return Err(RoutingError::Empty);
    }
    if cleaned.len() != 9 || !cleaned.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RoutingError::Length);
    }
    let sum: u32 = cleaned.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    if !sum.is_multiple_of(10) {
        return Err(RoutingError::Checksum);
    }
    let prefix: u32 = cleaned.bytes().take(2).fold(0, |acc, b| acc * 10 + u32::from(b - b'0'));
    if !matches!(prefix, 1..=12 | 21..=32 | 61..=72) {
        return Err(RoutingError::NotAchBank);
    }
    Ok(RoutingNumber(cleaned))
}

/// Checks a bank account number as typed and returns its digits. Spaces and
/// dashes are dropped; what remains must be 4 to 17 digits (17 is the width of
/// the NACHA "DFI account number" field). Leading zeros are kept: they are
/// part of the number.
pub fn validate_account_number(input: &str) -> Result<String, AccountError> {
    let cleaned: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if cleaned.is_empty() {
        return Err(AccountError::Empty);
    }
    if !cleaned.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AccountError::NotDigits);
    }
    if !(4..=17).contains(&cleaned.len()) {
        return Err(AccountError::Length);
    }
    Ok(cleaned)
}

/// The account number as shown on screens and in e-mails: four bullets and
/// the last four characters, `"••••6789"`. A number of four characters or
/// fewer is shown as bullets only, so masking never reveals a whole number.
/// Spaces and dashes are ignored.
pub fn mask_account(number: &str) -> String {
    let kept: Vec<char> = number.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let mut out = String::from("••••");
    if kept.len() > 4 {
        out.extend(&kept[kept.len() - 4..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Routing numbers published by the banks themselves (and the Federal
    /// Reserve's own), all of which must validate.
    const REAL: [(&str, &str); 8] = [
        ("021000021", "JPMorgan Chase, New York"),
        ("011000015", "Federal Reserve Bank of Boston"),
        ("121000358", "Bank of America, California"),
        ("026009593", "Bank of America, New York (wires)"),
        ("121000248", "Wells Fargo, California"),
        ("021000089", "Citibank, New York"),
        ("111000025", "Bank of America, Texas"),
        ("322271627", "JPMorgan Chase, California (thrift range)"),
    ];

    #[test]
    fn published_routing_numbers_are_valid() {
        for (number, bank) in REAL {
            let r = validate_routing(number).unwrap_or_else(|e| panic!("{number} ({bank}): {e}"));
            assert_eq!(r.as_str(), number);
            assert_eq!(r.dfi_id(), &number[..8]);
            assert_eq!(r.check_digit(), number.chars().nth(8).unwrap());
            assert_eq!(check_digit(&number[..8]), Some(number.as_bytes()[8] - b'0'), "{bank}");
        }
    }

    #[test]
    fn check_digit_by_hand() {
        // 0·3 + 2·7 + 1·1 + 0·3 + 0·7 + 0·1 + 0·3 + 2·7 = 29 → 1 brings it to 30.
        assert_eq!(check_digit("02100002"), Some(1));
        // 1·3 + 2·7 + 1·1 + 0 + 0 + 0 + 3·3 + 5·7 = 62 → 8.
        assert_eq!(check_digit("12100035"), Some(8));
        // 0·3 + 1·7 + 1·1 + 0 + 0 + 0 + 0·3 + 1·7 = 15 → 5.
        assert_eq!(check_digit("01100001"), Some(5));
        assert_eq!(check_digit("0210000"), None);
        assert_eq!(check_digit("0210000a"), None);
        assert_eq!(check_digit("021000021"), None);
    }

    #[test]
    fn every_single_digit_change_is_caught() {
        // The 3-7-1 weights are coprime with 10, so changing any one digit
        // always changes the sum mod 10.
        for (number, _) in REAL {
            for pos in 0..9 {
                for d in b'0'..=b'9' {
                    let mut bytes = number.as_bytes().to_vec();
                    if bytes[pos] == d {
                        continue;
                    }
                    bytes[pos] = d;
                    let changed = String::from_utf8(bytes).unwrap();
                    assert!(validate_routing(&changed).is_err(), "{changed} accepted");
                }
            }
        }
    }

    #[test]
    fn adjacent_transpositions_are_mostly_caught() {
        // Swapping two adjacent different digits is caught unless the digits
        // differ by 5 in some weight pairs; for Chase's number all are caught.
        assert_eq!(validate_routing("201000021"), Err(RoutingError::Checksum));
        assert_eq!(validate_routing("021000012"), Err(RoutingError::Checksum));
        assert_eq!(validate_routing("012000021"), Err(RoutingError::Checksum));
    }

    #[test]
    fn corrupted_numbers_and_messages() {
        assert_eq!(validate_routing(""), Err(RoutingError::Empty));
        assert_eq!(validate_routing("   "), Err(RoutingError::Empty));
        assert_eq!(validate_routing("02100002"), Err(RoutingError::Length));
        assert_eq!(validate_routing("0210000210"), Err(RoutingError::Length));
        assert_eq!(validate_routing("02100002I"), Err(RoutingError::Length));
        assert_eq!(validate_routing("０２１００００２１"), Err(RoutingError::Length), "full-width digits");
        assert_eq!(validate_routing("021000022"), Err(RoutingError::Checksum));
        assert_eq!(validate_routing("121000359"), Err(RoutingError::Checksum));
        // Correct checksum, but not a range any ACH bank uses.
        assert_eq!(validate_routing("000000000"), Err(RoutingError::NotAchBank));
        assert_eq!(check_digit("80000000"), Some(6));
        assert_eq!(validate_routing("800000006"), Err(RoutingError::NotAchBank));
        assert_eq!(check_digit("13000000"), Some(6));
        assert_eq!(validate_routing("130000006"), Err(RoutingError::NotAchBank));
        assert_eq!(RoutingError::Length.to_string(), "A routing number has 9 digits");
        assert!(RoutingError::Checksum.to_string().starts_with("This routing number isn't valid"));
        assert_eq!(RoutingError::NotAchBank.to_string(), RoutingError::Checksum.to_string());
    }

    #[test]
    fn separators_are_forgiven() {
        assert_eq!(validate_routing("021-000-021").unwrap().as_str(), "021000021");
        assert_eq!(validate_routing(" 0210 0002 1\n").unwrap().as_str(), "021000021");
    }

    #[test]
    fn account_numbers() {
        assert_eq!(validate_account_number("000123456789").unwrap(), "000123456789");
        assert_eq!(validate_account_number(" 1234-5678 ").unwrap(), "12345678");
        assert_eq!(validate_account_number("1234").unwrap(), "1234");
        assert_eq!(validate_account_number("12345678901234567").unwrap(), "12345678901234567");
        assert_eq!(validate_account_number(""), Err(AccountError::Empty));
        assert_eq!(validate_account_number(" - "), Err(AccountError::Empty));
        assert_eq!(validate_account_number("123"), Err(AccountError::Length));
        assert_eq!(validate_account_number("123456789012345678"), Err(AccountError::Length));
        assert_eq!(validate_account_number("12345X"), Err(AccountError::NotDigits));
        assert_eq!(validate_account_number("١٢٣٤٥"), Err(AccountError::NotDigits), "Arabic-Indic digits");
        assert_eq!(AccountError::Length.to_string(), "An account number has 4 to 17 digits");
    }

    #[test]
    fn masking() {
        assert_eq!(mask_account("123456789"), "••••6789");
        assert_eq!(mask_account("12345"), "••••2345");
        assert_eq!(mask_account("1234-5678-9"), "••••6789");
        assert_eq!(mask_account("1234"), "••••");
        assert_eq!(mask_account("12"), "••••");
        assert_eq!(mask_account(""), "••••");
        assert_eq!(mask_account("ÄÖÜßé12"), "••••ßé12", "counts characters, not bytes");
    }
}
