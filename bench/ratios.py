"""Ratios of one `BENCH_PEER=1 make bench` run: ours against django-oscar (bench.sh) and
against nginx serving our own pages as static files (static_limit.sh), from the files
bench/bench.sh wrote into the run's folder. Usage: python3 bench/ratios.py RESULTS_DIR"""
import re, sys
out = sys.argv[1]
ours = {l.split()[0]: l.split() for l in open(f"{out}/results.txt")}
peer = {}
for line in open(f"{out}/peer_bench.txt"):
    f = line.split()
    if f and f[0] in ("order_list", "order_detail") and len(f) >= 9 and re.match(r"[\d.]+$", f[1]):
        peer[f[0]] = f
static = {}
for line in open(f"{out}/static_limit.txt"):
    f = line.split()
    if f and f[0] in ("order_list", "order_detail") and len(f) >= 2 and re.match(r"[\d.]+$", f[1]):
        static.setdefault(f[0], f)  # the first row per page is keep-alive
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)$", v)
    x = float(m.group(1)); return x / 1000 if m.group(2) == "us" else x * 1000 if m.group(2) == "s" else x
print("\n=== ratios (this run)")
print(f"{'page':<13} {'req/s ours/peer':>16} {'p99 peer/ours':>14} {'ours % of static':>17} {'RSS peer/ours':>14}")
for page, mine in (("order_list", "small_list"), ("order_detail", "small_detail")):
    o, p, s = ours[mine], peer.get(page), static.get(page)
    rps_ratio = float(o[1]) / float(p[1]) if p else float("nan")
    p99_ratio = ms(p[4]) / float(o[4]) if p else float("nan")
    pct = 100 * float(o[1]) / float(s[1]) if s else float("nan")
    rss_ratio = float(p[8]) / float(o[8]) if p else float("nan")  # peak / peak
    print(f"{page:<13} {rps_ratio:>15.1f}x {p99_ratio:>13.1f}x {pct:>16.1f}% {rss_ratio:>13.1f}x")
print("\n=== targets of issue #18 (this run)")
def verdict(ok): return "met" if ok else "MISSED"
for page, mine in (("order_list", "small_list"), ("order_detail", "small_detail")):
    o, p, s = ours[mine], peer.get(page), static.get(page)
    rps, p99, rss = float(o[1]), float(o[4]), float(o[8])
    print(f"{page:<13} req/s {rps:,.0f} ≥ 4,300: {verdict(rps >= 4300)}; "
          f"≥ 50x django-oscar: {verdict(bool(p) and rps / float(p[1]) >= 50)}; "
          f"≥ 5 % of static: {verdict(bool(s) and rps / float(s[1]) >= 0.05)}; "
          f"p99 {p99:.1f} ms ≤ 6: {verdict(p99 <= 6)}; RSS peak {rss:.1f} MiB ≤ 40: {verdict(rss <= 40)}")
