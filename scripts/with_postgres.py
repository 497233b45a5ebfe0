#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster.

    scripts/with_postgres.py -- COMMAND [ARG...]

Creates a temporary cluster (initdb -A trust -U postgres) listening on 127.0.0.1 at a free
port, with its unix socket in the temporary folder, creates the database ``portal``, runs
COMMAND with ``DATABASE_URL=postgres://postgres@127.0.0.1:PORT/portal``, then stops the
cluster and deletes the folder, also when the command fails or on Ctrl-C / SIGTERM.
Exits with the command's exit code.

initdb refuses to run as root: as root, the folders are given to the ``postgres`` user and
the server programs run through ``runuser -u postgres --``; otherwise they run as the
current user. Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")
SERVER_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
DB_NAME = "portal"
READY_TIMEOUT = 60.0


class Terminated(Exception):
    """Raised from the SIGTERM/SIGHUP handler so that the cleanup runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def log(message: str) -> None:
    print(f"with_postgres: {message}", file=sys.stderr, flush=True)


def find_bin_dir() -> Path:
    """The bin folder of the newest PostgreSQL installed under /usr/lib/postgresql."""
    versions = []
    if PG_ROOT.is_dir():
        for entry in PG_ROOT.iterdir():
            if (entry / "bin" / "initdb").is_file() and re.fullmatch(r"\d+(\.\d+)?", entry.name):
                versions.append((tuple(int(p) for p in entry.name.split(".")), entry))
    if not versions:
        sys.exit(
            f"with_postgres: no PostgreSQL server found under {PG_ROOT} "
            "(install it: apt-get install -y --no-install-recommends postgresql)"
        )
    return max(versions)[1] / "bin"


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux), so that we reap the postmaster ourselves.

    pg_ctl daemonizes the server; without this it is re-parented to PID 1, and an init that
    is slow to reap leaves a ``[postgres] <defunct>`` entry behind for a while.
    """
    try:
        import ctypes

        pr_set_child_subreaper = 36
        return ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    def __init__(self) -> None:
        self.bin_dir = find_bin_dir()
        self.version = self.bin_dir.parent.name
        self.as_root = os.getuid() == 0
        self.base = Path(tempfile.mkdtemp(prefix="with-postgres-"))
        self.data = self.base / "data"
        self.sock = self.base / "sock"
        self.logs = self.base / "log"
        self.logfile = self.logs / "postgres.log"
        self.port = 0
        self.started = False
        self.subreaper = become_subreaper()

    # -- helpers ---------------------------------------------------------------------------
    def _cmd(self, program: str, *args: str) -> list[str]:
        argv = [str(self.bin_dir / program), *args]
        return ["runuser", "-u", "postgres", "--", *argv] if self.as_root else argv

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        # cwd: the postgres user may not be allowed into the caller's working directory.
        result = subprocess.run(
            self._cmd(program, *args),
            cwd=self.base,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        if check and result.returncode != 0:
            output = (result.stdout + result.stderr).strip()
            raise RuntimeError(f"{program} failed (exit {result.returncode}):\n{output}")
        return result

    def _prepare_folders(self) -> None:
        for folder in (self.data, self.sock, self.logs):
            folder.mkdir(mode=0o700)
        if self.as_root:
            try:
                import pwd

                entry = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "running as root but there is no 'postgres' user to run the server as"
                ) from None
            for path in (self.base, self.data, self.sock, self.logs):
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-20:])
        except OSError:
            return "(no server log)"

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        self._prepare_folders()
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-instructions",
        )
        # Another process may grab the port between our probe and the server's bind: retry.
        for attempt in range(3):
            self.port = free_port()
            options = f"{SERVER_OPTIONS} -h 127.0.0.1 -p {self.port} -k {self.sock}"
            result = self._run(
                "pg_ctl",
                "-D",
                str(self.data),
                "-l",
                str(self.logfile),
                "-o",
                options,
                "-w",
                "-t",
                str(int(READY_TIMEOUT)),
                "start",
                check=False,
            )
            if result.returncode == 0:
                self.started = True
                break
            if attempt == 2:
                raise RuntimeError(f"pg_ctl start failed:\n{self._log_tail()}")
            self._stop_quietly()
        self._wait_ready()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", DB_NAME)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            result = self._run(
                "pg_isready",
                "-q",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-t",
                "2",
                check=False,
            )
            if result.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not get ready:\n{self._log_tail()}")
            time.sleep(0.1)

    def _stop_quietly(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    def stop(self) -> None:
        """Stop the server (if it runs) and delete the folder; never raises."""
        postmaster = self._postmaster_pid()
        try:
            if postmaster:
                result = self._run(
                    "pg_ctl",
                    "-D",
                    str(self.data),
                    "-m",
                    "fast",
                    "-w",
                    "-t",
                    "30",
                    "stop",
                    check=False,
                )
                if result.returncode != 0:
                    self._kill_postmaster()
        except Exception as exc:  # cleanup must go on
            log(f"stopping the server failed: {exc}")
            self._kill_postmaster()
        finally:
            if postmaster and self.subreaper:
                self._reap(postmaster)
            shutil.rmtree(self.base, ignore_errors=True)

    def _postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None

    @staticmethod
    def _reap(pid: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(pid, os.WNOHANG) == (0, 0) and time.monotonic() < deadline:
                time.sleep(0.02)

    def _kill_postmaster(self) -> None:
        pid = self._postmaster_pid()
        if pid is None:
            return
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGQUIT)  # immediate shutdown; children follow the postmaster
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2

    def on_signal(signum, _frame):
        raise Terminated(signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)

    cluster = Cluster()
    child: subprocess.Popen | None = None
    try:
        started_at = time.monotonic()
        cluster.start()
        log(
            f"PostgreSQL {cluster.version} running at {cluster.url} "
            f"(socket and data in {cluster.base}; up in {time.monotonic() - started_at:.1f} s)"
        )
        env = dict(os.environ, DATABASE_URL=cluster.url)
        child = subprocess.Popen(argv, env=env)
        interrupts = 0
        while True:
            try:
                code = child.wait()
                break
            except KeyboardInterrupt:
                # Ctrl-C reached the child too (same process group): let it finish cleaning
                # up; a third Ctrl-C stops waiting for it.
                interrupts += 1
                if interrupts >= 3:
                    child.kill()
        return code if code >= 0 else 128 - code
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except Terminated as exc:
        log(f"got signal {exc.signum}, cleaning up")
        if child is not None and child.poll() is None:
            child.send_signal(exc.signum)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        return 128 + exc.signum
    except (RuntimeError, OSError) as exc:
        log(f"error: {exc}")
        return 1
    finally:
        # Once the command is done, further Ctrl-C / SIGTERM must not cut the cleanup short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        stop_started = time.monotonic()
        cluster.stop()
        if cluster.started:
            log(f"stopped and removed in {time.monotonic() - stop_started:.1f} s")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
