#!/usr/bin/env python3
"""Write the sample metric history of content/ (deterministic: same output every run).

90 days of daily snapshots (2026-08-28 … 2026-11-25, 06:00 UTC) for several Northwind products:
  checkout/metrics/orders.csv            healthy; the last day comes as a YAML snapshot instead
  customer/metrics/customer-profiles.csv email null values appeared on the last two days (failing)
  fulfillment/metrics/stock-levels.csv   freshness breached 2026-11-18 … 11-20 (last week), fine again
  fulfillment/metrics/demand-forecast.csv pipeline stopped after 2026-11-21 (stale)
  finance/metrics/finance.csv            two products in one file (`product` column)
  logistics/metrics/delivery-events-2026-11-25.yaml  a single YAML snapshot
"""
import datetime as dt
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "content"
END = dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.timezone.utc)
DAYS = 90
rng = random.Random(20261125)


def days(last=END, n=DAYS):
    return [last - dt.timedelta(days=n - 1 - i) for i in range(n)]


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def write(path, header, rows):
    path = ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")


def fmt(x, nd=4):
    s = f"{x:.{nd}f}".rstrip("0").rstrip(".")
    return s


# orders: port-level series, healthy. The last day is the YAML snapshot below.
rows = []
for i, t in enumerate(days()[:-1]):
    port = "orders_snowflake"
    rows.append((ts(t), "rowCount", 1_700_000 + i * 1500 + rng.randint(-800, 800), port))
    rows.append((ts(t), "freshnessMinutes", rng.randint(6, 24), port))
    rows.append((ts(t), "latencyMinutes", rng.randint(3, 11), port))
    rows.append((ts(t), "availability", fmt(rng.uniform(0.9962, 0.99995)), port))
write("checkout/metrics/orders.csv", "timestamp,metric,value,outputPort", rows)
(ROOT / "checkout/metrics/orders-2026-11-25.yaml").write_text(
    """# Written by the orders pipeline after its 06:00 run.
apiVersion: meshdoc/v1
kind: MetricSnapshot
product: orders
outputPort: orders_snowflake
timestamp: 2026-11-25T06:00:00Z
metrics:
  rowCount: 1834521
  freshnessMinutes: 17
  latencyMinutes: 6
  availability: 0.9995
  checks: { passed: 41, failed: 1 }
"""
)

# customer-profiles: email null values appear on the last two days.
rows = []
for i, t in enumerate(days()):
    rows.append((ts(t), "customers.rowCount", 412_000 + i * 220 + rng.randint(-50, 50)))
    rows.append((ts(t), "email.nullValues", 12 if i >= DAYS - 2 else 0))
    rows.append((ts(t), "freshnessMinutes", rng.randint(12, 48)))
    rows.append((ts(t), "availability", fmt(rng.uniform(0.9991, 1.0))))
write("customer/metrics/customer-profiles.csv", "timestamp,metric,value", rows)

# stock-levels: freshness objective 2 h, breached 2026-11-18 … 2026-11-20.
breach = {dt.date(2026, 11, 18): 185, dt.date(2026, 11, 19): 312, dt.date(2026, 11, 20): 146}
rows = []
for i, t in enumerate(days()):
    rows.append((ts(t), "rowCount", 2_480_000 + rng.randint(-9000, 9000)))
    rows.append((ts(t), "freshnessMinutes", breach.get(t.date(), rng.randint(20, 75))))
    rows.append((ts(t), "availability", fmt(rng.uniform(0.9958, 0.9999))))
    rows.append((ts(t), "retentionDays", 400 + rng.randint(0, 3)))
write("fulfillment/metrics/stock-levels.csv", "timestamp,metric,value", rows)

# demand-forecast: the pipeline stopped after 2026-11-21.
rows = []
for t in days(END - dt.timedelta(days=4), DAYS - 4):
    rows.append((ts(t), "rowCount", 186_000 + rng.randint(-2000, 2000)))
    rows.append((ts(t), "freshnessHours", rng.randint(3, 9)))
    rows.append((ts(t), "availability", fmt(rng.uniform(0.991, 1.0))))
write("fulfillment/metrics/demand-forecast.csv", "timestamp,metric,value", rows)

# finance: one file for two products.
rows = []
for i, t in enumerate(days()):
    rows.append(("revenue-daily", ts(t), "rowCount", 180 + rng.randint(-25, 25)))
    rows.append(("revenue-daily", ts(t), "reconciles_with_payments", fmt(rng.uniform(0.02, 0.31), 3)))
    rows.append(("revenue-daily", ts(t), "updateIntervalHours", 24))
    rows.append(("revenue-daily", ts(t), "availability", fmt(rng.uniform(0.9993, 1.0))))
for i, t in enumerate(days()):
    rows.append(("payments", ts(t), "freshnessMinutes", rng.randint(15, 95)))
    rows.append(("payments", ts(t), "latencyMinutes", rng.randint(8, 40)))
    rows.append(("payments", ts(t), "availability", fmt(rng.uniform(0.9991, 1.0))))
write("finance/metrics/finance.csv", "product,timestamp,metric,value", rows)

(ROOT / "logistics/metrics").mkdir(parents=True, exist_ok=True)
(ROOT / "logistics/metrics/delivery-events-2026-11-25.yaml").write_text(
    """# Written by the delivery-events stream monitor.
apiVersion: meshdoc/v1
kind: MetricSnapshot
product: delivery-events
outputPort: delivery_events_kafka
timestamp: 2026-11-25T05:45:00Z
metrics:
  latencySeconds: 14
  availability: 0.99982
  eventsPerMinute: 1260
"""
)
