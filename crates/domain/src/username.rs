//! User names generated at enrollment (seed 000: "The user name is
//! automatically generated upon client enrollment").
//!
//! A user name is `first.last` in lower-case ASCII; when taken, a number is
//! appended (`jane.doe2`, `jane.doe3`, …). The caller checks availability.

/// Reduce a name to lower-case ASCII letters and digits, folding common
/// Latin accents so "José Núñez" becomes "jose" / "nunez".
fn fold(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c if c.is_ascii_alphanumeric() => c,
            _ => continue,
        };
        out.push(mapped);
    }
    out
}

/// The base user name for a person: `first.last`, or whichever part exists,
/// or `user` when neither yields any letters.
pub fn base(first: &str, last: &str) -> String {
    let (f, l) = (fold(first), fold(last));
    let joined = match (f.is_empty(), l.is_empty()) {
        (false, false) => format!("{f}.{l}"),
        (false, true) => f,
        (true, false) => l,
        (true, true) => "user".to_string(),
    };
    joined.chars().take(40).collect()
}

/// The n-th candidate (n = 1 is the base itself).
pub fn candidate(base: &str, n: u32) -> String {
    if n <= 1 { base.to_string() } else { format!("{base}{n}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_readable_names() {
        assert_eq!(base("Jane", "Doe"), "jane.doe");
        assert_eq!(base("José", "Núñez-Pérez"), "jose.nunezperez");
        assert_eq!(base("", "O'Brien"), "obrien");
        assert_eq!(base("李", ""), "user");
        assert_eq!(candidate("jane.doe", 1), "jane.doe");
        assert_eq!(candidate("jane.doe", 3), "jane.doe3");
    }
}
