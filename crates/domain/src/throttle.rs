//! Login throttling: how long an account or an address is locked after
//! consecutive failures.
//!
//! ASVS 6.1.1 / 6.3.1 ask that brute force be slowed without letting an
//! attacker lock a real user out for long, so locks are short and grow
//! progressively: nothing for the first few mistakes, then one minute, five,
//! and at most fifteen minutes.

/// Failures allowed per account before the first temporary lock.
pub const ACCOUNT_FREE_FAILURES: i64 = 5;
/// Failures allowed per client address (across accounts) in a window.
pub const IP_FREE_FAILURES: i64 = 30;
/// The window in which address failures are counted, in seconds.
pub const IP_WINDOW_SECS: i64 = 15 * 60;
/// Wrong identity answers at onboarding before verification locks.
pub const VERIFY_FREE_FAILURES: i64 = 5;

/// Lock duration in seconds after `failures` consecutive failed sign-ins on
/// one account, or `None` while no lock applies.
pub fn account_lock_secs(failures: i64) -> Option<i64> {
    if failures < ACCOUNT_FREE_FAILURES {
        None
    } else if failures < ACCOUNT_FREE_FAILURES + 3 {
        Some(60)
    } else if failures < ACCOUNT_FREE_FAILURES + 6 {
        Some(5 * 60)
    } else {
        Some(15 * 60)
    }
}

/// Lock duration in seconds for a client address after `failures` failures
/// within the current window.
pub fn ip_lock_secs(failures: i64) -> Option<i64> {
    (failures >= IP_FREE_FAILURES).then_some(IP_WINDOW_SECS)
}

/// Lock duration after wrong onboarding answers (date of birth, SSN digits).
/// Identity questions have few possible answers, so the lock is long.
pub fn verify_lock_secs(failures: i64) -> Option<i64> {
    (failures >= VERIFY_FREE_FAILURES).then_some(60 * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_locks_grow_and_stay_short() {
        assert_eq!(account_lock_secs(0), None);
        assert_eq!(account_lock_secs(4), None);
        assert_eq!(account_lock_secs(5), Some(60));
        assert_eq!(account_lock_secs(7), Some(60));
        assert_eq!(account_lock_secs(8), Some(300));
        assert_eq!(account_lock_secs(11), Some(900));
        assert_eq!(account_lock_secs(1000), Some(900));
    }

    #[test]
    fn ip_and_verify_locks() {
        assert_eq!(ip_lock_secs(29), None);
        assert_eq!(ip_lock_secs(30), Some(900));
        assert_eq!(verify_lock_secs(4), None);
        assert_eq!(verify_lock_secs(5), Some(3600));
    }
}
