//! CPU time of the whole process (every thread, user + system), for `build --verbose`: on a
//! shared, loaded machine the wall time of a stage says more about the neighbours than about the
//! stage, its CPU time does not.

use std::time::Duration;

/// CPU time used by the process so far, from `/proc/self/stat` (Linux); None elsewhere.
pub fn used() -> Option<Duration> {
    parse(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

/// `utime` + `stime` of a `/proc/<pid>/stat` line: fields 14 and 15, counted after the command
/// name (which may hold spaces and parentheses, so it is skipped up to its last `)`), in ticks of
/// 1/100 s (Linux reports them in USER_HZ, 100 on every architecture).
fn parse(stat: &str) -> Option<Duration> {
    let after_name = stat.get(stat.rfind(')')? + 1..)?;
    let mut fields = after_name.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((user + system) * 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_and_system_ticks_are_added() {
        let line = "4242 (mesh doc) (x) R 1 2 3 4 5 6 7 8 9 10 250 37 0 0 20 0 9 0 100 1 1";
        assert_eq!(parse(line), Some(Duration::from_millis(2870)));
        assert_eq!(parse("garbage"), None);
    }

    #[test]
    fn this_process_has_used_some_cpu() {
        if cfg!(target_os = "linux") {
            let _busy: u64 = (0..2_000_000u64).map(|i| i % 7).sum();
            assert!(used().is_some());
        }
    }
}
