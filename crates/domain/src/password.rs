//! Password rules (ASVS 5.0 V6.2).
//!
//! * at least 8 characters, at most 128 (so 64 are always accepted);
//! * no composition rules, no forced rotation;
//! * refused when it is among commonly used passwords, or when it contains
//!   the company's name, the user's own name, user name or email.
//!
//! "Commonly used" is decided by zxcvbn, which ships frequency lists of
//! leaked passwords and common words: a score below 2 means "too guessable"
//! (fewer than 10^6 guesses), which covers the common-password lists.

use std::fmt;

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    ContainsPersonalInfo,
    TooCommon,
}

impl fmt::Display for PasswordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PasswordProblem::TooShort => "Use at least 8 characters (15 or more is better).",
            PasswordProblem::TooLong => "Use at most 128 characters.",
            PasswordProblem::ContainsPersonalInfo => {
                "Don't use your name, user name, email or the company's name in your password."
            }
            PasswordProblem::TooCommon => {
                "This password is too common or too easy to guess. Try a longer phrase of unrelated words."
            }
        })
    }
}

/// Words a password must not contain: names, user name, email parts.
#[derive(Debug, Default, Clone)]
pub struct PersonalWords<'a> {
    pub words: Vec<&'a str>,
}

impl<'a> PersonalWords<'a> {
    pub fn new(words: impl IntoIterator<Item = &'a str>) -> Self {
        PersonalWords { words: words.into_iter().filter(|w| !w.trim().is_empty()).collect() }
    }
}

/// Fragments of personal words that are long enough to matter (4+ letters):
/// the parts of an email address, the words of a company name.
fn fragments(words: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for w in words {
        let lower = w.to_lowercase();
        for part in lower.split(|c: char| !c.is_alphanumeric()) {
            if part.chars().count() >= 4 {
                out.push(part.to_string());
            }
        }
    }
    out
}

pub fn check(password: &str, personal: &PersonalWords<'_>) -> Result<(), PasswordProblem> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(PasswordProblem::TooShort);
    }
    if len > MAX_LEN {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if fragments(&personal.words).iter().any(|f| lower.contains(f.as_str())) {
        return Err(PasswordProblem::ContainsPersonalInfo);
    }
    let estimate = zxcvbn::zxcvbn(password, &personal.words);
    if (estimate.score() as u8) < 2 {
        return Err(PasswordProblem::TooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> PersonalWords<'static> {
        PersonalWords::default()
    }

    #[test]
    fn length_limits() {
        assert_eq!(check("short", &none()), Err(PasswordProblem::TooShort));
        assert_eq!(check(&"x".repeat(129), &none()), Err(PasswordProblem::TooLong));
        // 64 characters of a passphrase are accepted.
        let long = "correct horse battery staple and a lamp by the window at dusk ok";
        assert_eq!(long.chars().count(), 64);
        assert_eq!(check(long, &none()), Ok(()));
    }

    #[test]
    fn common_passwords_are_refused() {
        for p in ["password", "password1", "12345678", "qwertyuiop", "iloveyou1", "football"] {
            assert_eq!(check(p, &none()), Err(PasswordProblem::TooCommon), "{p}");
        }
    }

    #[test]
    fn personal_information_is_refused() {
        let words = PersonalWords::new(["Jane", "Doe", "jane.doe@example.com", "Acme Capital"]);
        assert_eq!(check("capital-gains-77!", &words), Err(PasswordProblem::ContainsPersonalInfo));
        assert_eq!(check("Example-Mountain-9", &words), Err(PasswordProblem::ContainsPersonalInfo));
        assert_eq!(check("violet tundra sings", &words), Ok(()));
    }

    #[test]
    fn no_composition_rules() {
        // Only lowercase letters and spaces, but long and uncommon.
        assert_eq!(check("orange kettle drifting slowly", &none()), Ok(()));
    }
}
