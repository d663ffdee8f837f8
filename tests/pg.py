"""A throwaway PostgreSQL server for one test session (or the one in TEST_POSTGRES_URL).

``PostgresServer.start()`` runs initdb into a temporary directory and starts the server on a free
port on 127.0.0.1, with durability switched off (fsync, synchronous_commit, full_page_writes):
nothing here outlives the session. ``create_database()`` hands every test its own empty database.

As root, initdb and the server run as the ``postgres`` user (initdb refuses root).
"""
from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import psycopg
from sqlalchemy.engine import make_url

SESSION_DB = "cockpit_test"  # the database the session's URL names; per-test ones are created beside it
DB_PREFIX = "cockpit_t"
INSTALL_HINT = (
    "PostgreSQL is not installed (no initdb and pg_ctl in /usr/lib/postgresql/*/bin or on PATH). "
    "Install it with `apt-get install -y postgresql` (or `make system-deps` as root), "
    "or set TEST_POSTGRES_URL to a server where the user may CREATE DATABASE."
)


class PostgresUnavailable(Exception):
    """No PostgreSQL binaries on this machine."""


def find_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin holding initdb and pg_ctl (or the ones on PATH)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    for path in reversed(candidates):
        if (Path(path) / "initdb").exists() and (Path(path) / "pg_ctl").exists():
            return Path(path)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl and Path(initdb).parent == Path(pg_ctl).parent:
        return Path(initdb).parent
    return None


def scratch_dir() -> str | None:
    """/dev/shm when it has room (a memory file system: CREATE DATABASE is ~20x faster there than
    on disk), else the system's temporary directory."""
    try:
        st = os.statvfs("/dev/shm")
    except OSError:
        return None
    roomy = st.f_bavail * st.f_frsize >= 1 << 30
    return "/dev/shm" if roomy and os.access("/dev/shm", os.W_OK | os.X_OK) else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    """A PostgreSQL server the tests may create databases on; ``url`` points at its admin database."""

    url: str  # postgresql+psycopg://user@host:port/cockpit_test — where CREATE DATABASE runs
    data_dir: Path | None = None  # set when this process started (and owns) the server
    bin_dir: Path | None = None
    template: str = "template0"  # what create_database copies
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    # ---- starting and stopping --------------------------------------------------------------

    @classmethod
    def external(cls, url: str) -> "PostgresServer":
        """Use a server someone else runs (TEST_POSTGRES_URL)."""
        parsed = make_url(url).set(drivername="postgresql+psycopg")
        return cls(url=parsed.render_as_string(hide_password=False))

    @classmethod
    def start(cls) -> "PostgresServer":
        """initdb + pg_ctl start a fresh server; raises PostgresUnavailable without binaries."""
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise PostgresUnavailable(INSTALL_HINT)
        data_dir = Path(tempfile.mkdtemp(prefix="cockpit-pg-", dir=scratch_dir()))
        server = cls(url="", data_dir=data_dir, bin_dir=bin_dir)
        atexit.register(server.stop)
        try:
            server._initdb_and_start()
        except BaseException:
            server.stop()
            raise
        return server

    def _as_owner(self, *cmd: str) -> list[str]:
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                raise RuntimeError("running as root needs `runuser` to start PostgreSQL as the postgres user")
            return ["runuser", "-u", "postgres", "--", *cmd]
        return list(cmd)

    def _run(self, *cmd: str, timeout: float = 60) -> None:
        done = subprocess.run(self._as_owner(*cmd), capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            log = self.data_dir / "server.log" if self.data_dir else None
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(
                f"`{' '.join(cmd)}` failed ({done.returncode}):\n{done.stdout}{done.stderr}{tail}")

    def _initdb_and_start(self) -> None:
        assert self.data_dir is not None and self.bin_dir is not None
        if os.geteuid() == 0:
            shutil.chown(self.data_dir, "postgres", "postgres")
        pgdata = self.data_dir / "data"
        self._run(str(self.bin_dir / "initdb"), "-D", str(pgdata), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        for attempt in range(3):  # the free port may be taken before the server binds it
            port = free_port()
            options = (f"-h 127.0.0.1 -p {port} -k {self.data_dir} -F -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            try:
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(pgdata), "-l", str(self.data_dir / "server.log"),
                          "-o", options, "-w", "-t", "60", "start", timeout=90)
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        self._run(str(self.bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                  SESSION_DB)
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/{SESSION_DB}"

    def stop(self) -> None:
        """Stop the server this process started and remove its directory (idempotent)."""
        if self.data_dir is None:
            return
        data_dir, self.data_dir = self.data_dir, None
        pgdata = data_dir / "data"
        if (pgdata / "postmaster.pid").exists() and self.bin_dir is not None:
            subprocess.run(self._as_owner(str(self.bin_dir / "pg_ctl"), "-D", str(pgdata), "-m", "fast",
                                          "-w", "stop"), capture_output=True, timeout=60)
        shutil.rmtree(data_dir, ignore_errors=True)

    # ---- databases --------------------------------------------------------------------------

    def _admin(self) -> psycopg.Connection:
        url = make_url(self.url)
        return psycopg.connect(host=url.host, port=url.port or 5432, user=url.username,
                               password=url.password, dbname=url.database or "postgres", autocommit=True,
                               connect_timeout=10)

    def create_database(self) -> str:
        """A new, empty database; returns its SQLAlchemy URL."""
        name = self.new_name()
        self.copy_database(self.template, name)
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def new_name(self) -> str:
        """A database name no other test (of this or a concurrent session) uses."""
        return f"{DB_PREFIX}_{os.getpid()}_{next(self._counter)}"

    def copy_database(self, template: str, name: str) -> None:
        """CREATE DATABASE ``name`` as a copy of ``template`` (which nobody may be connected to)."""
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            try:
                # FILE_COPY (PostgreSQL 15+) copies a small template much faster than WAL_LOG.
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
            except psycopg.errors.SyntaxError:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """The session's server: TEST_POSTGRES_URL when set, else a throwaway one stopped at the end.

    Raises PostgresUnavailable when no URL is given and PostgreSQL is not installed.
    """
    external = os.environ.get("TEST_POSTGRES_URL", "").strip()
    if external:
        yield PostgresServer.external(external)
        return
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()
