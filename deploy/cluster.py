#!/usr/bin/env python3
"""A Mijn Portaal cluster on this machine: its own PostgreSQL, N server processes and
Debian's nginx as round-robin load balancer, all on loopback. `make cluster` runs it
until Ctrl-C (demo data, mails in /dev/mail); `deploy/resilience.py` (`make resilience`)
uses the same pieces to break things on purpose.

Standard library only. Needs PostgreSQL's server binaries and nginx (the make targets
install them from Debian) and a release build (`make build`).
"""
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", pathlib.Path.home() / ".cache/mijn-portaal/target"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin(name):
    found = sorted(pathlib.Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    path = shutil.which(name)
    if not path:
        sys.exit(f"{name} not found: install PostgreSQL (apt-get install postgresql)")
    return path


def as_postgres(cmd):
    """PostgreSQL refuses to run as root: as root, run it as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


def get(url, headers=None, timeout=5):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, dict(res.headers), res.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8", "replace")


class Cluster:
    def __init__(self, servers=2, workdir=None, server_bin=None, env=None, log=print):
        self.n = servers
        self.workdir = pathlib.Path(workdir or tempfile.mkdtemp(prefix="mijn-portaal-cluster-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.workdir, 0o755)
        self.server_bin = server_bin or str(TARGET / "release/server")
        self.site_root = str(ROOT / "target/site")
        self.pg_port = free_port()
        self.lb_port = free_port()
        self.ports = [free_port() for _ in range(servers)]
        self.procs = {}
        self.nginx = None
        self.extra_env = env or {}
        self.log = log
        self.pgdata = self.workdir / "pg"
        self.database_url = f"postgres://portal:portal@127.0.0.1:{self.pg_port}/portal"
        self.public_url = f"http://127.0.0.1:{self.lb_port}"
        self.data_dir = self.workdir / "data"
        self.data_dir.mkdir(exist_ok=True)
        self.audit_key = subprocess.run([self.server_bin, "audit", "key"], check=True,
                                        capture_output=True, text=True).stdout.strip()

    # --- PostgreSQL -------------------------------------------------------------------
    def start_postgres(self):
        if not (self.pgdata / "PG_VERSION").exists():
            self.pgdata.mkdir(exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.pgdata, "postgres", "postgres")
            subprocess.run(as_postgres([pg_bin("initdb"), "-D", str(self.pgdata), "-U", "postgres",
                                        "--auth=trust", "-E", "UTF8"]),
                           check=True, capture_output=True)
        self._pg_ctl("start", "-w", "-o", f"-p {self.pg_port} -k {self.pgdata} -c listen_addresses=127.0.0.1 "
                     "-c max_connections=200 -c fsync=on")
        created = subprocess.run(as_postgres(["psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres",
                                              "-tAc", "SELECT 1 FROM pg_roles WHERE rolname='portal'"]),
                                 capture_output=True, text=True, check=True).stdout.strip()
        if created != "1":
            for sql in ["CREATE ROLE portal LOGIN PASSWORD 'portal'", "CREATE DATABASE portal OWNER portal"]:
                subprocess.run(as_postgres(["psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres",
                                            "-c", sql]), check=True, capture_output=True)

    def stop_postgres(self, mode="fast"):
        self._pg_ctl("stop", "-w", "-m", mode)

    def _pg_ctl(self, *args):
        log = self.workdir / "pg.log"
        if os.geteuid() == 0 and not log.exists():
            log.touch()
            shutil.chown(log, "postgres", "postgres")
        subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", str(self.pgdata), "-l", str(log)] + list(args)),
                       check=True, capture_output=True)

    # --- server processes -------------------------------------------------------------
    def env(self, i):
        env = dict(os.environ)
        for name in list(env):
            # Only what this cluster sets: nothing from the caller's own portal setup.
            if name in ("SMTP_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "DEV_MAIL", "METRICS_TOKEN", "METRICS_ADDR"):
                del env[name]
        env.update({
            "DATABASE_URL": self.database_url,
            "HOST": "127.0.0.1",
            "PORT": str(self.ports[i]),
            "PUBLIC_URL": self.public_url,
            "SITE_ROOT": self.site_root,
            "DATA_DIR": str(self.data_dir),
            "AUDIT_KEY": self.audit_key,
            "TRUSTED_PROXIES": "127.0.0.1",
            "LOG_LEVEL": "warn",
        })
        env.update(self.extra_env)
        return env

    def start_server(self, i, demo=False):
        log = open(self.workdir / f"server-{i + 1}.log", "a")
        cmd = [self.server_bin, "serve"] + (["--demo"] if demo else [])
        self.procs[i] = subprocess.Popen(cmd, env=self.env(i), stdout=log, stderr=subprocess.STDOUT,
                                         cwd=str(self.workdir))
        self.wait_ready(f"http://127.0.0.1:{self.ports[i]}", f"server {i + 1}", self.procs[i])

    def kill_server(self, i, sig=signal.SIGKILL):
        proc = self.procs.pop(i, None)
        if proc and proc.poll() is None:
            proc.send_signal(sig)
            proc.wait(timeout=30)

    def wait_ready(self, base, name, proc=None, seconds=120):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if proc is not None and proc.poll() is not None:
                sys.exit(f"{name} exited with {proc.returncode}; see {self.workdir}")
            try:
                if get(f"{base}/readyz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"{name} not ready after {seconds} s; see {self.workdir}")

    # --- nginx ------------------------------------------------------------------------
    def start_nginx(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        prefix = self.workdir / "nginx"
        (prefix / "logs").mkdir(parents=True, exist_ok=True)
        upstreams = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in self.ports)
        conf = f"""
worker_processes 2;
error_log {prefix}/logs/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream mijn_portaal {{
{upstreams}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{self.lb_port};
        client_max_body_size 25m;
        location / {{
            proxy_pass http://mijn_portaal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""
        (prefix / "nginx.conf").write_text(conf)
        self.nginx = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                                       "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                      stderr=open(prefix / "logs/stderr.log", "a"))
        self.wait_ready(self.public_url, "nginx", self.nginx, seconds=30)

    def stop(self):
        for i in list(self.procs):
            self.kill_server(i, signal.SIGTERM)
        if self.nginx and self.nginx.poll() is None:
            self.nginx.terminate()
            self.nginx.wait(timeout=10)
        try:
            self.stop_postgres("fast")
        except subprocess.CalledProcessError:
            pass

    def start(self, demo=False):
        self.start_postgres()
        # One after the other: the first applies the migrations (and loads the demo, which
        # the others then find loaded).
        for i in range(self.n):
            self.start_server(i, demo=demo)
        self.start_nginx()


def main():
    servers = int(os.environ.get("SERVERS", "2"))
    cluster = Cluster(servers=servers, workdir=os.environ.get("CLUSTER_DIR"))
    try:
        cluster.start(demo=True)
        print(f"\n  Mijn Portaal cluster: {servers} server processes on one PostgreSQL behind nginx")
        print(f"  Open {cluster.public_url}  (demo logins as with `make run`; mails at /dev/mail)")
        print(f"  Processes: " + ", ".join(f"127.0.0.1:{p}" for p in cluster.ports))
        print(f"  PostgreSQL: {cluster.database_url}")
        print(f"  Logs and data: {cluster.workdir}")
        print("  Stop it with Ctrl-C.\n", flush=True)
        # Our own handlers (a background start may have SIGINT ignored): either signal
        # ends the wait, and `finally` stops every process this started.
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        while not stop.wait(1):
            pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
