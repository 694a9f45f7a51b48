"""Helpers for scripts/dns-e2e-test: the check tally, sockets, dig and kdig."""
import socket
import struct
import subprocess
import traceback

import dns.message

ZONE = "summon.test."


class Checker:
    """Runs named checks against the server on `port` and counts the results."""

    def __init__(self, port):
        self.port = port
        self.passed = 0
        self.failed = 0

    def record(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok    {name}")
        else:
            self.failed += 1
            print(f"FAIL  {name}: {detail}")

    def check(self, name, body):
        """Runs `body()`, which returns None on success or a string saying what was wrong."""
        try:
            problem = body()
        except Exception as error:  # a check that crashes is a failed check, not a crashed run
            problem = f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=2)}"
        self.record(name, problem is None, problem or "")

    def alive(self, after):
        """The check that follows every hostile packet: a normal query still gets its answer."""
        def body():
            response = udp_query(self.port, "127.0.0.1", dns.message.make_query("hello." + ZONE, "A"))
            if response is None:
                return "no answer"
            return None if addresses(response) == ["10.77.0.10"] else f"answer {addresses(response)}"
        self.check(f"server still answers after {after}", body)


def free_port():
    """A port free for UDP and TCP on both loopbacks, chosen by the kernel."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        try:
            for family, kind, host in [(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1"),
                                       (socket.AF_INET6, socket.SOCK_DGRAM, "::1"),
                                       (socket.AF_INET6, socket.SOCK_STREAM, "::1")]:
                with socket.socket(family, kind) as other:
                    other.bind((host, port))
            return port
        except OSError:
            continue
    raise SystemExit("dns-e2e: no free port on loopback")


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def raw_udp(port, host, payload, timeout=1.0):
    """Sends one datagram; returns the reply bytes or None after `timeout` seconds."""
    with socket.socket(family(host), socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(payload, (host, port))
        try:
            return sock.recv(65535)
        except socket.timeout:
            return None


def udp_query(port, host, query, timeout=2.0):
    reply = raw_udp(port, host, query.to_wire(), timeout)
    return None if reply is None else dns.message.from_wire(reply)


def tcp_connect(port, host="127.0.0.1", timeout=3.0):
    sock = socket.socket(family(host), socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect((host, port))
    return sock


def frame(wire):
    return struct.pack("!H", len(wire)) + wire


def read_exact(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError(f"connection closed after {len(data)} of {count} bytes")
        data += chunk
    return data


def read_tcp_messages(sock, count):
    """Reads `count` length-prefixed messages, in the order they arrive."""
    messages = []
    for _ in range(count):
        (length,) = struct.unpack("!H", read_exact(sock, 2))
        messages.append(dns.message.from_wire(read_exact(sock, length)))
    return messages


def addresses(response):
    return sorted(rr.address for rrset in response.answer for rr in rrset if rrset.rdtype == 1)


def run_tool(args):
    """Runs dig or kdig with a short timeout; returns stdout."""
    return subprocess.run(args, capture_output=True, text=True, timeout=20).stdout
