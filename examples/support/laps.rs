//! Wall and CPU time per stage, shared by the benchmark examples (`read_bench`, `hash_bench`,
//! and `catalog_bench` of the catalog crate, which includes this file by path).

use std::time::{Duration, Instant};

/// CPU time of the process so far (user + system, every thread), from `/proc/self/stat`.
pub fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat
        .get(stat.rfind(')').map_or(0, |i| i + 1)..)
        .unwrap_or("");
    let mut fields = after_name.split_whitespace().skip(11);
    let mut ticks = || {
        fields
            .next()
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_millis((ticks() + ticks()) * 10)
}

/// Wall and CPU time since the last lap, printed under a name.
#[allow(dead_code)] // catalog_bench times its runs with `cpu` alone
pub struct Laps {
    wall: Instant,
    cpu: Duration,
}

#[allow(dead_code)]
impl Laps {
    pub fn start() -> Laps {
        Laps {
            wall: Instant::now(),
            cpu: cpu(),
        }
    }

    pub fn lap(&mut self, name: &str) {
        let (wall, cpu_now) = (self.wall.elapsed(), cpu());
        eprintln!(
            "{name:<22} {:>7.3} s wall {:>7.2} s CPU",
            wall.as_secs_f64(),
            (cpu_now - self.cpu).as_secs_f64()
        );
        self.wall = Instant::now();
        self.cpu = cpu_now;
    }
}
