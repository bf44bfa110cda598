#!/usr/bin/env python3
"""`make resilience`: Mijn Portaal as a retailer runs it when one machine is not enough —
two server processes on one PostgreSQL behind nginx (deploy/cluster.py) — broken on
purpose, with every figure printed: what was acknowledged against what is in the
database, mails and webhooks sent against expected, non-2xx answers.

  1. sessions: a logged-in customer's requests alternate between the processes
  2. 1,000 API writes spread over both processes all land once
  3. a burst of 50 customer changes (50 webhooks, in order) and 50 parcel events (50 mails);
     then the webhook receiver away while 20 changes are made: each arrives once, in order
  4. kill -9 of one process during API writes with Idempotency-Keys, retried on the other
     (and the same on SQLite: one process, killed and restarted)
  5. the SMTP server away while 50 mails are due: each arrives once when it is back
  6. PostgreSQL stopped for 10 s: /readyz 503, then 200 by itself, no 500 after
  7. load: wrk, 64 connections, 60 s per page, through nginx on two processes and on one

Exit status 0 only when every check holds. RESILIENCE_LOAD_SECONDS shortens the load runs.
"""
import concurrent.futures
import datetime
import json
import os
import pathlib
import re
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from cluster import ROOT, TARGET, Cluster, free_port, get  # noqa: E402

LOAD_SECONDS = int(os.environ.get("RESILIENCE_LOAD_SECONDS", "60"))
FAILURES = []
FIGURES = []


def check(ok, what):
    print(("  ok    " if ok else "  FAIL  ") + what, flush=True)
    if not ok:
        FAILURES.append(what)


def figure(line):
    print("  " + line, flush=True)
    FIGURES.append(line)


# --- a real SMTP sink and a webhook receiver --------------------------------------------
class SmtpSink:
    """Just enough SMTP (no TLS, no auth) to take mails; `stop` closes the port, as a
    mail server that is down."""

    def __init__(self, port):
        self.port = port
        self.mails = []
        self.lock = threading.Lock()
        self.server = None
        self.connections = set()

    def start(self):
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                with sink.lock:
                    sink.connections.add(self.connection)
                self.wfile.write(b"220 sink ESMTP\r\n")
                data = None
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    if data is not None:
                        if line in (b".\r\n", b".\n"):
                            with sink.lock:
                                sink.mails.append(b"".join(data).decode("utf-8", "replace"))
                            data = None
                            self.wfile.write(b"250 queued\r\n")
                        else:
                            data.append(line)
                        continue
                    verb = line[:4].upper()
                    if verb == b"EHLO":
                        self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
                    elif verb == b"DATA":
                        data = []
                        self.wfile.write(b"354 go on\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        """Down as a mail server that stopped: no new connections, and the open ones
        (the portal keeps a pool) cut."""
        self.server.shutdown()
        self.server.server_close()
        with self.lock:
            for conn in self.connections:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.connections.clear()

    def subjects(self):
        with self.lock:
            found = []
            for mail in self.mails:
                m = re.search(r"^Subject: (.*)$", mail, re.M)
                found.append(m.group(1).strip() if m else "")
            return found


class HookReceiver:
    """Counts webhook events by id (the id is stable across retries)."""

    def __init__(self, port):
        self.port = port
        self.events = []
        self.refused = 0
        # While down, the back office answers 503 to everything (a deploy, an outage).
        self.down = False
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    if receiver.down:
                        receiver.refused += 1
                    else:
                        receiver.events.append(json.loads(body))
                self.send_response(503 if receiver.down else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


# --- talking to the portal ----------------------------------------------------------------
class Api:
    def __init__(self, base, key):
        self.base = base
        self.key = key

    def call(self, method, path, body=None, headers=None, timeout=15):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.key}", "Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                return res.status, res.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


class Browser:
    """A browser without JavaScript: form posts, cookies, following nothing."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}

    def request(self, method, path, form=None, accept="text/html"):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        headers = {"Accept": accept, "Origin": self.base, "User-Agent": "resilience-test",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            res = opener.open(req, timeout=15)
            status, hdrs, body = res.status, res.headers, res.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            status, hdrs, body = e.code, e.headers, e.read().decode("utf-8", "replace")
        for value in hdrs.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return status, hdrs, body


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def psql(cluster, sql):
    out = subprocess.run(["psql", cluster.database_url, "-tAc", sql], check=True,
                         capture_output=True, text=True).stdout.strip()
    return out


def wait_for(predicate, seconds, step=0.5):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def now_iso(offset_seconds=0):
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_seconds)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


HOME = {"name": "Anna de Vries", "street": "Biltstraat", "house_number": "101", "postcode": "3572 AS",
        "city": "Utrecht", "country": "NL"}


def parcel(api, n, sku, price):
    """An order of Anna's with one parcel (DHL), made through the API."""
    number = f"WS-9{n:05d}"
    order = {"channel": "webshop", "customer": "C-1001", "placed_at": now_iso(-3600), "status": "paid",
             "currency": "EUR", "lines": [{"sku": sku, "quantity": 1, "unit_price": price}],
             "shipping": 0, "total": price, "payments": [{"method": "ideal", "amount": price, "currency": "EUR"}],
             "delivery_address": HOME, "billing_address": HOME}
    status, body = api.call("PUT", f"/api/v1/orders/{number}", order)
    assert status < 300, f"order {number}: {status} {body}"
    tracking = f"JVGLRS{n:06d}"
    status, body = api.call("PUT", f"/api/v1/shipments/RS-{n}", {
        "order": number, "carrier": "dhl", "tracking_number": tracking,
        "lines": [{"sku": sku, "quantity": 1}]})
    assert status < 300, f"shipment {n}: {status} {body}"
    return number, tracking


def not_delivered(api, tracking, key):
    return api.call("POST", "/api/v1/shipment-events",
                    {"events": [{"carrier": "dhl", "tracking_number": tracking, "code": "NOT_DELIVERED", "occurred_at": now_iso()}]},
                    headers={"Idempotency-Key": key})


# --- the scenarios ----------------------------------------------------------------------
def sessions(cluster):
    print("\n1. A customer's requests alternate between the processes", flush=True)
    b = Browser(cluster.public_url)
    status, hdrs, _ = b.request("POST", "/api/fn/login", {"email": "anna@example.nl",
                                                          "password": "slaapwel-demo-klant",
                                                          "next": "/account/orders"})
    check(status in (302, 303) and "portal_session" in b.cookies, f"logged in through nginx ({status})")
    served, good = set(), 0
    for i in range(20):
        path = "/account/orders" if i % 2 else "/account"
        status, hdrs, body = b.request("GET", path)
        served.add(hdrs.get("X-Upstream"))
        good += status == 200 and "Anna" in body and 'href="/login"' not in body
    check(good == 20, f"20 of 20 account pages answered as Anna, served by {len(served)} processes")
    check(len(served) == len(cluster.ports), "every process served her")
    b.request("GET", "/language/en?next=%2Faccount")
    english, served = 0, set()
    for _ in range(10):
        status, hdrs, body = b.request("GET", "/account/orders")
        served.add(hdrs.get("X-Upstream"))
        english += status == 200 and 'lang="en"' in body and "My orders" in body
    check(english == 10 and len(served) == len(cluster.ports),
          f"her language (English) holds on every process: {english}/10")
    # Saved-state messages ("Saved") travel in the address (?saved=1), not in the process.
    return b


def api_writes(cluster, api):
    print("\n2. 1,000 API writes spread over both processes", flush=True)

    def write(i):
        body = {"name": f"Klant {i}", "email": f"klant{i}@example.nl"}
        for _ in range(5):
            status, _ = api.call("PUT", f"/api/v1/customers/R-{i:04d}", body)
            if status < 300:
                return True
            time.sleep(0.2)
        return False

    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        acked = sum(pool.map(write, range(1, 1001)))
    found = int(psql(cluster, "SELECT count(*) FROM customers WHERE external_id LIKE 'R-%'"))
    figure(f"API writes: 1000 sent, {acked} acknowledged, {found} found in the database "
           f"({time.time() - started:.1f} s)")
    check(acked == 1000 and found == 1000, "every write landed once")


def burst(cluster, api, browser, sink, hooks, sku, price):
    print("\n3. A burst: 50 customer changes (webhooks) and 50 failed deliveries (mails)", flush=True)
    parcels = [parcel(api, n, sku, price) for n in range(1, 51)]
    hooks_before = len(hooks.events)

    def consent(i):
        return browser.request("POST", "/api/fn/set_consent", {
            "purpose": "newsletter", "channel": "email", "granted": "true" if i % 2 == 0 else "false",
            "version": "1", "language": "nl"})[0]

    # Her changes one after the other (as she clicks); the events, 50 at once.
    statuses = [consent(i) for i in range(50)]
    check(all(s < 400 for s in statuses), f"50 consent changes answered ({sorted(set(statuses))})")
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda p: not_delivered(api, p[1], f"burst-{p[1]}")[0], parcels))
    check(all(s < 300 for s in answers), "50 parcel events acknowledged")
    wanted = {f"Nog niet bezorgd: je bestelling {number}" for number, _ in parcels}
    wait_for(lambda: wanted <= set(sink.subjects()) and len(hooks.events) - hooks_before >= 50, 90)
    subjects = sink.subjects()
    mails = sum(subjects.count(s) for s in wanted)
    doubles = sum(1 for s in wanted if subjects.count(s) > 1)
    figure(f"Mails: 50 expected, {mails} received, {doubles} twice")
    check(mails == 50 and doubles == 0, "one mail per failed delivery, exactly")
    events = [e for e in hooks.events[hooks_before:] if e.get("type") == "customer.consent_changed"]
    ids = [e["id"] for e in events]
    figure(f"Webhooks: 50 expected, {len(ids)} received, {len(ids) - len(set(ids))} twice")
    check(len(set(ids)) == 50 and len(ids) == 50, "one webhook per change, exactly")
    granted = [e["data"]["granted"] for e in events]
    check(granted == [i % 2 == 0 for i in range(50)], "her changes reached the back office in the order she made them")
    return parcels


def webhooks_down(browser, hooks):
    print("\n3b. The back office's webhook receiver away while 20 changes are made", flush=True)
    before = len(hooks.events)
    hooks.down = True
    for i in range(20):
        browser.request("POST", "/api/fn/set_consent", {
            "purpose": "newsletter", "channel": "email", "granted": "true" if i % 2 == 0 else "false",
            "version": "1", "language": "nl"})
    time.sleep(5)
    refused = hooks.refused
    hooks.down = False
    started = time.time()
    # The refused event is retried 30 s later; the 19 behind it follow in order.
    wait_for(lambda: len(hooks.events) - before >= 20, 150)
    events = [e for e in hooks.events[before:] if e.get("type") == "customer.consent_changed"]
    ids = [e["id"] for e in events]
    figure(f"Webhook receiver down: {refused} deliveries refused while down; back: 20 expected, "
           f"{len(ids)} received ({time.time() - started:.0f} s after), {len(ids) - len(set(ids))} twice")
    check(len(ids) == 20 and len(set(ids)) == 20, "every event arrived once after the receiver came back")
    check([e["data"]["granted"] for e in events] == [i % 2 == 0 for i in range(20)],
          "in the order they were made")
    # Only the oldest of her events was tried while down (once; its retry comes 30 s
    # later): the 19 behind it waited instead of overtaking it.
    check(1 <= refused <= 2, f"the later events waited behind the first ({refused} refused while down)")


def kill_during_writes(cluster, api, parcels, victim=0, restart=None, label="PostgreSQL, two processes"):
    print(f"\n4. kill -9 during API writes ({label})", flush=True)
    # The kill comes when a quarter of the writes is acknowledged: the rest are under way.
    quarter = threading.Event()
    done = [0]
    lock = threading.Lock()

    def acknowledged():
        with lock:
            done[0] += 1
            if done[0] >= 250:
                quarter.set()

    def write(i):
        tracking = parcels[i % len(parcels)][1]
        key = f"kill-{label}-{i}"
        body = {"events": [{"carrier": "dhl", "tracking_number": tracking, "code": f"RS_SCAN_{i}", "occurred_at": now_iso()}]}
        for attempt in range(60):
            try:
                status, _ = api.call("POST", "/api/v1/shipment-events", body, {"Idempotency-Key": key}, timeout=5)
            except OSError:
                status = 0
            if 200 <= status < 300:
                acknowledged()
                return 1, attempt
            time.sleep(0.25)
        return 0, 60

    def killer():
        quarter.wait(60)
        cluster.kill_server(victim, signal.SIGKILL)
        if restart:
            restart()

    t = threading.Thread(target=killer)
    t.start()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(write, range(1000)))
    t.join()
    acked = sum(r[0] for r in results)
    retried = sum(1 for r in results if r[1] > 0)
    return acked, retried


def check_kill(cluster_sql, acked, retried, label):
    found = int(cluster_sql("SELECT count(*) FROM shipment_events WHERE code LIKE 'RS_SCAN_%'"))
    distinct = int(cluster_sql("SELECT count(DISTINCT code) FROM shipment_events WHERE code LIKE 'RS_SCAN_%'"))
    figure(f"kill -9 ({label}): 1000 writes, {acked} acknowledged, {retried} retried, "
           f"{found} found, {found - distinct} doubled")
    check(acked == 1000 and found == 1000 and distinct == 1000,
          f"{label}: every acknowledged write is there once, none half-written")


def smtp_down(cluster, api, sink, sku, price):
    print("\n5. The mail server away while 50 mails are due", flush=True)
    parcels = [parcel(api, n, sku, price) for n in range(101, 151)]
    sink.stop()
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda p: not_delivered(api, p[1], f"down-{p[1]}")[0], parcels))
    check(all(s < 300 for s in answers), "50 parcel events acknowledged while SMTP is down")
    time.sleep(5)
    waiting = int(psql(cluster, "SELECT count(*) FROM outbox WHERE kind = 'mail' AND status = 'pending'"))
    wanted = {f"Nog niet bezorgd: je bestelling {number}" for number, _ in parcels}
    early = sum(1 for s in sink.subjects() if s in wanted)
    figure(f"SMTP down: {waiting} mails waiting in the outbox, {early} delivered")
    check(waiting >= 50 and early == 0, "the mails wait")
    sink.start()
    started = time.time()
    # The first retry comes 30 s after a failure, the next a minute later.
    wait_for(lambda: wanted <= set(sink.subjects()), 180)
    subjects = sink.subjects()
    mails = sum(subjects.count(s) for s in wanted)
    doubles = sum(1 for s in wanted if subjects.count(s) > 1)
    figure(f"SMTP back: 50 expected, {mails} received ({time.time() - started:.0f} s after), {doubles} twice")
    check(mails == 50 and doubles == 0, "every mail arrived exactly once")


def database_restart(cluster, browser):
    print("\n6. PostgreSQL stopped for 10 s", flush=True)
    pids = {i: p.pid for i, p in cluster.procs.items()}
    seen = {"503": 0, "500": 0, "other": 0}
    polling = threading.Event()

    def poll():
        while not polling.is_set():
            for port in cluster.ports:
                try:
                    status = get(f"http://127.0.0.1:{port}/readyz", timeout=10)[0]
                except OSError:
                    status = 0
                key = "503" if status == 503 else "500" if status == 500 else "other"
                seen[key] += 1
            time.sleep(0.5)

    t = threading.Thread(target=poll)
    t.start()
    time.sleep(1)
    cluster.stop_postgres("fast")
    down_at = time.time()
    page = {}
    asker = threading.Thread(target=lambda: page.setdefault("status", browser.request("GET", "/account/orders")[0]))
    time.sleep(2)
    asker.start()
    time.sleep(8)
    cluster.start_postgres()
    asker.join()
    page_status = page.get("status")
    up_at = time.time()
    back = wait_for(lambda: all(get(f"http://127.0.0.1:{p}/readyz")[0] == 200 for p in cluster.ports), 60, 0.1)
    figure(f"Database restart: stopped {up_at - down_at:.0f} s, /readyz 503 seen {seen['503']} times, "
           f"a page answered {page_status} while down, every process ready {time.time() - up_at:.1f} s "
           f"after PostgreSQL was back")
    polling.set()
    t.join()
    check(seen["503"] > 0 and page_status == 503, "/readyz and pages said 503 while it was down")
    check(back, "/readyz 200 again on every process, none restarted by hand")
    check({i: p.pid for i, p in cluster.procs.items()} == pids and all(p.poll() is None for p in cluster.procs.values()),
          "the same processes still run")
    errors = 0
    for i in range(100):
        status = browser.request("GET", "/account/orders" if i % 2 else "/account")[0]
        errors += status >= 500
    figure(f"After recovery: 100 pages, {errors} answered 5xx")
    check(errors == 0, "no 500 after recovery")


def load(cluster, browser, single_port):
    print(f"\n7. Load: wrk, 64 connections, {LOAD_SECONDS} s per page", flush=True)
    cookie = f"portal_session={browser.cookies['portal_session']}"
    number = re.search(r'href="/account/orders/(WS-[0-9]+)"', browser.request("GET", "/account/orders")[2])
    pages = [("order list", "/account/orders"), ("order page", f"/account/orders/{number.group(1)}"),
             ("overview", "/account")]
    lua = str(ROOT / "bench/status_check.lua")
    rows = []
    for setup, base in [("nginx, 2 processes", cluster.public_url), ("1 process", f"http://127.0.0.1:{single_port}")]:
        for name, path in pages:
            out = subprocess.run(["wrk", "-t2", "-c64", f"-d{LOAD_SECONDS}s", "--latency", "-s", lua,
                                  "-H", f"Cookie: {cookie}", "-H", "Accept: text/html", base + path],
                                 capture_output=True, text=True).stdout
            rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
            p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
            p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
            m = re.search(r"status check: (\d+) responses 200, (\d+) other", out)
            good, bad = int(m.group(1)), int(m.group(2))
            errors = re.search(r"Socket errors: (.*)", out)
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            rows.append((setup, name, rps, p50, p99, good, bad))
            figure(f"{setup:20} {name:11} {rps:8.0f} req/s  p50 {p50:>8}  p99 {p99:>8}  "
                   f"{good} × 200, {bad} other{'  socket errors: ' + errors.group(1) if errors else ''}")
            check(bad == 0 and not non2xx and not errors, f"{setup}, {name}: zero non-2xx")
    return rows


def sqlite_kill(server_bin):
    """One process on SQLite, killed (-9) during writes and restarted; the client retries."""
    import tempfile
    work = pathlib.Path(tempfile.mkdtemp(prefix="mijn-portaal-sqlite-"))
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite://{work}/portal.db", HOST="127.0.0.1", PORT=str(port),
               DATA_DIR=str(work), SITE_ROOT=str(ROOT / "target/site"), LOG_LEVEL="warn")
    for name in ("SMTP_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "METRICS_TOKEN", "METRICS_ADDR"):
        env.pop(name, None)
    subprocess.run([server_bin, "seed", "demo"], env=env, check=True, capture_output=True)
    key = re.search(r"(mp_\S+)", subprocess.run(
        [server_bin, "apikey", "create", "--name", "resilience", "--scopes", "orders:write,shipments:write,customers:write,orders:read"],
        env=env, check=True, capture_output=True, text=True).stdout).group(1)
    state = {}

    def start():
        state["proc"] = subprocess.Popen([server_bin, "serve"], env=env, stdout=open(work / "server.log", "a"),
                                         stderr=subprocess.STDOUT)
        wait_for(lambda: _ready(port), 60, 0.1)

    class One:
        procs = {}

        def kill_server(self, i, sig):
            state["proc"].send_signal(sig)
            state["proc"].wait()

    start()
    api = Api(f"http://127.0.0.1:{port}", key)
    parcels = []
    products = json.loads(api.call("GET", "/api/v1/orders/WS-240101")[1])
    sku, price = products["lines"][0]["sku"], products["lines"][0]["unit_price"]
    for n in range(1, 11):
        parcels.append(parcel(api, n, sku, price))
    acked, retried = kill_during_writes(One(), api, parcels, restart=start, label="SQLite, one process restarted")

    def sql(query):
        import sqlite3
        with sqlite3.connect(work / "portal.db") as db:
            return str(db.execute(query).fetchone()[0])

    check_kill(sql, acked, retried, "SQLite, one process restarted")
    state["proc"].terminate()
    state["proc"].wait()


def _ready(port):
    try:
        return get(f"http://127.0.0.1:{port}/readyz", timeout=1)[0] == 200
    except OSError:
        return False


def main():
    sink_port, hook_port = free_port(), free_port()
    sink = SmtpSink(sink_port)
    sink.start()
    hooks = HookReceiver(hook_port)
    cluster = Cluster(servers=2, env={
        "SMTP_URL": f"smtp://127.0.0.1:{sink_port}",
        "MAIL_FROM": "Slaapwereld <service@slaapwereld.example>",
        # A bulk load, as a back office importing: above the default 1,200 calls a minute.
        "API_RATE_LIMIT_PER_MINUTE": "100000",
        "WEBHOOK_URL": f"http://127.0.0.1:{hook_port}/hooks",
        "WEBHOOK_SECRET": subprocess.run([str(TARGET / "release/server"), "webhook-secret"], check=True,
                                         capture_output=True, text=True).stdout.strip(),
    })
    print(f"Work directory (logs, data): {cluster.workdir}", flush=True)
    try:
        cluster.start_postgres()
        env = cluster.env(0)
        subprocess.run([cluster.server_bin, "migrate"], env=env, check=True, capture_output=True)
        subprocess.run([cluster.server_bin, "seed", "demo"], env=env, check=True, capture_output=True)
        created = subprocess.run([cluster.server_bin, "apikey", "create", "--name", "resilience", "--scopes",
                                  "orders:write,shipments:write,customers:write,orders:read"],
                                 env=env, check=True, capture_output=True, text=True).stdout
        key = re.search(r"(mp_\S+)", created).group(1)
        for i in range(cluster.n):
            cluster.start_server(i)
        cluster.start_nginx()
        api = Api(cluster.public_url, key)
        order = json.loads(api.call("GET", "/api/v1/orders/WS-240101")[1])
        sku, price = order["lines"][0]["sku"], order["lines"][0]["unit_price"]

        browser = sessions(cluster)
        api_writes(cluster, api)
        parcels = burst(cluster, api, browser, sink, hooks, sku, price)
        webhooks_down(browser, hooks)
        acked, retried = kill_during_writes(cluster, api, parcels, victim=0,
                                            restart=lambda: cluster.start_server(0))
        check_kill(lambda q: psql(cluster, q), acked, retried, "PostgreSQL, two processes")
        sqlite_kill(cluster.server_bin)
        smtp_down(cluster, api, sink, sku, price)
        database_restart(cluster, browser)
        load(cluster, browser, cluster.ports[1])
    finally:
        cluster.stop()

    print("\nFigures:")
    for line in FIGURES:
        print("  " + line)
    if FAILURES:
        print(f"\n{len(FAILURES)} check(s) failed:")
        for what in FAILURES:
            print("  - " + what)
        sys.exit(1)
    print("\nEvery check held.")


if __name__ == "__main__":
    main()
