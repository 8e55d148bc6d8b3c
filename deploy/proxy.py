"""Serve the dashboard to colleagues: Streamlit on 127.0.0.1 behind nginx with HTTPS and a login.

Commands (each one's help ends with an example):
  adduser    add or replace a login in the password file (SHA-512 crypt hash, via openssl)
  selfsigned make a self-signed certificate for a trial (production uses the organisation's own)
  config     print the nginx configuration the flags give
  serve      run Streamlit (read-only, no usage statistics) and nginx together until stopped

Only Debian's nginx and openssl are needed. Nothing here talks to the network beyond the
listening socket.
"""
from __future__ import annotations

import argparse
import getpass
import grp
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.in")
NGINX = os.environ.get("CONFLICT_TRENDS_NGINX", shutil.which("nginx") or "/usr/sbin/nginx")
NAME_RE = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")


class ProxyError(Exception):
    """A set-up problem the user can fix; printed as one sentence, exit 2."""


@dataclass(frozen=True)
class Site:
    """Everything the nginx configuration depends on."""
    listen: str            # host:port nginx listens on
    upstream: str          # host:port of Streamlit
    server_name: str
    cert: Path
    key: Path
    users: Path
    run_dir: Path

    def render(self) -> str:
        values = {"listen": self.listen, "upstream": self.upstream, "server_name": self.server_name,
                  "cert": str(self.cert.resolve()), "key": str(self.key.resolve()),
                  "users": str(self.users.resolve()), "run_dir": str(self.run_dir.resolve())}
        for name, value in values.items():
            # A value with nginx syntax in it would change the configuration's meaning.
            if re.search(r"[\s;{}'\"#$]", value):
                raise ProxyError(f"{name} {value!r} may not contain spaces, quotes, ';', '{{', '}}', '#' or '$'")
        values["worker_user"] = self._worker_user()
        text = TEMPLATE.read_text()
        return re.sub(r"@(\w+)@", lambda m: values[m.group(1)], text)

    def _worker_user(self) -> str:
        """Started as root, nginx would run its workers as `nobody`, who cannot read a private
        password file; they run as the file's owner instead (a service account in production)."""
        if os.geteuid() != 0 or not self.users.exists():
            return ""
        owner = self.users.stat()
        return f"user {pwd.getpwuid(owner.st_uid).pw_name} {grp.getgrgid(owner.st_gid).gr_name};\n"


def hash_password(password: str) -> str:
    """A SHA-512 crypt hash, which nginx checks through the system's crypt().

    bcrypt would be slower to crack, but nginx re-checks the hash on every request and a
    dashboard page makes dozens; SHA-512 crypt keeps that to milliseconds."""
    if not password:
        raise ProxyError("the password is empty")
    proc = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=password + "\n",
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not proc.stdout.startswith("$6$"):
        raise ProxyError(f"openssl could not hash the password: {proc.stderr.strip()}")
    return proc.stdout.strip()


def add_user(users: Path, name: str, password: str) -> None:
    """Add `name` to the password file, replacing an existing entry; the file is private (0600)."""
    if not NAME_RE.match(name):
        raise ProxyError(f"login name {name!r} must be 1-64 letters, digits, '.', '_', '@' or '-'")
    line = f"{name}:{hash_password(password)}\n"
    lines = users.read_text().splitlines(keepends=True) if users.exists() else []
    lines = [old for old in lines if not old.startswith(f"{name}:")] + [line]
    users.parent.mkdir(parents=True, exist_ok=True)
    tmp = users.with_name(users.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.writelines(lines)
    os.replace(tmp, users)


def self_signed(out_dir: Path, host: str, days: int = 365) -> tuple[Path, Path]:
    """A certificate and key for `host` (a name or an IP address), for trials and tests."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cert, key = out_dir / "cert.pem", out_dir / "key.pem"
    san = f"IP:{host}" if re.fullmatch(r"[0-9.]+|[0-9a-fA-F:]+", host) else f"DNS:{host}"
    proc = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", str(days), "-subj", f"/CN={host}", "-addext", f"subjectAltName={san}",
         "-keyout", str(key), "-out", str(cert)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise ProxyError(f"openssl could not make a certificate: {proc.stderr.strip()}")
    key.chmod(0o600)
    return cert, key


def write_config(site: Site) -> Path:
    for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
        (site.run_dir / sub).mkdir(parents=True, exist_ok=True)
    conf = site.run_dir / "nginx.conf"
    conf.write_text(site.render())
    return conf


def _check(site: Site) -> None:
    for what, path in (("certificate", site.cert), ("key", site.key), ("password file", site.users)):
        if not path.is_file():
            raise ProxyError(f"the {what} {path} does not exist")
    if not Path(NGINX).exists():
        raise ProxyError("nginx is not installed (Debian: apt-get install nginx-light)")
    if not any(line.strip() and not line.startswith("#") for line in site.users.read_text().splitlines()):
        raise ProxyError(f"{site.users} holds no login: add one with `python -m deploy.proxy adduser NAME`")


def _wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ProxyError(f"the dashboard exited with status {proc.returncode} while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise ProxyError(f"the dashboard did not answer on {url} within {seconds:.0f} s")


def serve(site: Site, db: Path) -> int:
    """Run Streamlit and nginx until either stops or a signal arrives; stop both."""
    _check(site)
    if not db.exists():
        raise ProxyError(f"the database {db} does not exist: load data first with `python -m etl ingest ...`")
    conf = write_config(site)
    test = subprocess.run([NGINX, "-t", "-q", "-p", str(site.run_dir), "-c", str(conf),
                           "-e", str(site.run_dir / "error.log")], capture_output=True, text=True)
    if test.returncode != 0:
        raise ProxyError(f"nginx refused the configuration: {test.stderr.strip()}")
    if os.geteuid() == 0 and site.users.stat().st_uid == 0:
        print("warning: running as root with a root-owned password file, so nginx's workers run as root; "
              "serve from a service account in production", file=sys.stderr)
    host, _, port = site.upstream.rpartition(":")
    env = dict(os.environ, CONFLICT_TRENDS_DB=str(db.resolve()), PYTHONPATH=str(ROOT))
    # nginx passes the browser's Host on, and Streamlit opens its WebSocket only for the Host
    # names in server.allowedHosts (.streamlit/config.toml: the local names): add the name
    # colleagues use, or any name when nginx answers to any (server_name _)
    names = ["*"] if site.server_name == "_" else ["localhost", "127.0.0.1", "::1", site.server_name]
    allowed = [arg for name in names for arg in ("--server.allowedHosts", name)]
    dashboard = subprocess.Popen(
        [sys.executable, "-m", "dashboard",
         "--server.address", host, "--server.port", port, "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.enableStaticServing", "false",
         "--server.maxUploadSize", "1", *allowed], cwd=ROOT, env=env)
    procs = [dashboard]
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        _wait_healthy(f"http://{site.upstream}/_stcore/health", dashboard)
        procs.append(subprocess.Popen([NGINX, "-p", str(site.run_dir), "-c", str(conf),
                                       "-e", str(site.run_dir / "error.log"), "-g", "daemon off;"]))
        print(f"serving {db} on https://{site.listen} (login required)", flush=True)
        while not stopping and all(p.poll() is None for p in procs):
            time.sleep(0.5)
        failed = [p for p in procs if p.poll() not in (None, 0)]
        return 1 if failed and not stopping else 0
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def _site(args) -> Site:
    return Site(listen=args.listen, upstream=args.upstream, server_name=args.server_name,
                cert=Path(args.cert), key=Path(args.key), users=Path(args.users),
                run_dir=Path(args.run_dir))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m deploy.proxy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    fmt = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("adduser", help="add or replace a login", formatter_class=fmt,
                       epilog="Example:\n  python -m deploy.proxy adduser alice --users data/users.htpasswd")
    p.add_argument("name")
    p.add_argument("--users", default="data/users.htpasswd")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    p = sub.add_parser("selfsigned", help="make a self-signed certificate", formatter_class=fmt,
                       epilog="Example:\n  python -m deploy.proxy selfsigned --host trends.newsroom.lan --out data/tls")
    p.add_argument("--host", required=True)
    p.add_argument("--out", default="data/tls")

    for name, text, example in (
            ("config", "print the nginx configuration",
             "python -m deploy.proxy config --listen 0.0.0.0:8443"),
            ("serve", "run the dashboard behind nginx until stopped",
             "python -m deploy.proxy serve --listen 0.0.0.0:8443 --server-name trends.newsroom.lan \\\n"
             "      --db data/conflict.duckdb --cert data/tls/cert.pem --key data/tls/key.pem")):
        p = sub.add_parser(name, help=text, formatter_class=fmt, epilog=f"Example:\n  {example}")
        p.add_argument("--listen", default="0.0.0.0:8443", help="address:port for HTTPS (default %(default)s)")
        p.add_argument("--upstream", default="127.0.0.1:8501", help="where Streamlit listens (default %(default)s)")
        p.add_argument("--server-name", default="_", help="the host name colleagues use")
        p.add_argument("--cert", default="data/tls/cert.pem")
        p.add_argument("--key", default="data/tls/key.pem")
        p.add_argument("--users", default="data/users.htpasswd")
        p.add_argument("--run-dir", default="data/proxy", help="nginx's pid, logs and temporary files")
        if name == "serve":
            p.add_argument("--db", default=os.environ.get("CONFLICT_TRENDS_DB", "data/conflict.duckdb"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "adduser":
            if args.password_stdin or not sys.stdin.isatty():
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = getpass.getpass(f"password for {args.name}: ")
                if getpass.getpass("again: ") != password:
                    raise ProxyError("the two passwords differ")
            add_user(Path(args.users), args.name, password)
            print(f"{args.name} can now sign in ({args.users})")
        elif args.command == "selfsigned":
            cert, key = self_signed(Path(args.out), args.host)
            print(f"certificate {cert}, key {key} (self-signed: browsers will warn until it is trusted)")
        elif args.command == "config":
            print(_site(args).render(), end="")
        else:
            return serve(_site(args), Path(args.db))
    except ProxyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
