"""The pieces the lab test suites share (scripts/integration-test, scripts/fault-test): failures,
bounded commands, polling, the lab script, and running one test with a PASS/FAIL line.

Standard library only.
"""
import signal
import socket
import subprocess
import time
from pathlib import Path

import labnet

ROOT = Path(__file__).resolve().parent.parent.parent
LAB = ROOT / "scripts" / "lab"
VIRSH = ["virsh", "-c", "qemu:///system"]


class TestFailure(Exception):
    """A check did not hold; the message says what was expected and what was seen."""


class SetupError(Exception):
    """The lab or the daemon could not be brought up: no test can run."""


class Interrupted(BaseException):
    """SIGINT/SIGTERM/SIGHUP arrived: stop testing, but still clean up."""


def check(condition, message):
    if not condition:
        raise TestFailure(message)


def run(args, timeout=30, check_rc=False):
    """Runs a command with a bounded wait and captured output."""
    result = subprocess.run([str(a) for a in args], stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=timeout)
    if check_rc and result.returncode != 0:
        raise TestFailure(f"{' '.join(map(str, args))} exited {result.returncode}: {result.stderr.strip()}")
    return result


def wait_until(predicate, timeout, interval=0.1):
    """Polls `predicate` until it returns a true value (returned) or `timeout` s pass (None)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def lab(*args, timeout=120):
    """Runs `scripts/lab ARGS`, its output passed through; returns the exit code."""
    return subprocess.run([str(LAB), *args], stdin=subprocess.DEVNULL, timeout=timeout).returncode


def run_test(test, after=None):
    """Runs one test, then `after` (a check that must hold after every test); prints PASS or FAIL
    with the reason and returns whether it passed."""
    started = time.monotonic()
    try:
        test()
        if after is not None:
            after(test)
    except TestFailure as failure:
        print(f"FAIL {test.__name__}: {failure}", flush=True)
        return False
    except subprocess.TimeoutExpired as error:
        print(f"FAIL {test.__name__}: command timed out: {' '.join(map(str, error.cmd))}", flush=True)
        return False
    except Exception as error:  # a bug in the test or an unexpected condition: report, go on
        print(f"FAIL {test.__name__}: unexpected {type(error).__name__}: {error}", flush=True)
        return False
    print(f"PASS {test.__name__} ({time.monotonic() - started:.1f} s)", flush=True)
    return True


def lab_udp_socket():
    """A UDP socket living in the lab namespace (see labnet.py)."""
    return labnet.lab_socket(socket.SOCK_DGRAM)


def free_lab_udp_port():
    """A UDP port on the lab's 127.0.0.1 that nothing uses right now."""
    with lab_udp_socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def query_a(port, name, query_id=0x5151, timeout=2.0):
    """One A query to 127.0.0.1:`port` in the lab: (rcode, addresses), or (None, []) on timeout."""
    with lab_udp_socket() as sock:
        sock.settimeout(timeout)
        sock.sendto(labnet.a_query(name, query_id), ("127.0.0.1", port))
        try:
            return labnet.a_answer(sock.recv(4096), query_id)
        except socket.timeout:
            return None, []


class Daemon:
    """One summonerd started in the lab namespace through `scripts/lab exec` (which execs it, so
    the child's pid is the daemon's), in its own session, with its output in a log file. Started
    once it answers DNS: a name outside every zone gets REFUSED."""

    START_TIMEOUT = 20  # seconds until a fresh summonerd answers DNS
    STOP_TIMEOUT = 15   # seconds after SIGTERM before SIGKILL

    def __init__(self, binary, config, log_path, port):
        self.binary, self.config, self.log_path, self.port = binary, config, log_path, port
        self.process = None

    def start(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(LAB), "exec", str(self.binary), "--config", str(self.config)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started = time.monotonic()
        while time.monotonic() - started < self.START_TIMEOUT:
            if not self.alive():
                raise SetupError(f"summonerd exited with code {self.process.returncode} while starting")
            if query_a(self.port, "example.com.", timeout=1)[0] == 5:
                return time.monotonic() - started
            time.sleep(0.1)
        raise SetupError(f"summonerd did not answer DNS on 127.0.0.1:{self.port} within {self.START_TIMEOUT} s")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self):
        return self.process.pid

    def stop(self):
        """SIGTERM, then SIGKILL after STOP_TIMEOUT; returns (exit code, seconds taken)."""
        if self.process is None:
            return None, 0.0
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=self.STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                print(f"summonerd ignored SIGTERM for {self.STOP_TIMEOUT} s; sending SIGKILL")
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode, time.monotonic() - started

    def kill(self):
        """SIGKILL: no clean-up at all, as after a crash or the OOM killer."""
        self.process.kill()
        self.process.wait(timeout=10)

    def log(self):
        try:
            return Path(self.log_path).read_text(errors="replace")
        except OSError as error:
            return f"(cannot read {self.log_path}: {error})"
