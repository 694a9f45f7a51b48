"""Malformed and hostile packets for scripts/dns-e2e-test. After every one the server must
still answer a normal query."""
import random
import struct

import dns.message
import dns.rcode

from dnse2e import frame, raw_udp, read_exact, tcp_connect

QUESTION_TAIL = b"\x00\x01\x00\x01"  # type A, class IN


def header(qid=0xABCD, flags=0x0100, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!6H", qid, flags, qd, an, ns, ar)


def labels(*parts):
    return b"".join(bytes([len(p)]) + p for p in parts) + b"\x00"


# name, packet, expected: "FORMERR" (answered with the same id) or None (no answer at all)
CASES = [
    ("truncated header (5 bytes)", b"\xab\xcd\x01\x00\x00", None),
    ("truncated header (11 bytes)", header()[:11], None),
    ("QR=1: a response is never answered", header(flags=0x8100) + labels(b"hello", b"summon", b"test") + QUESTION_TAIL, None),
    ("pointer to itself", header() + b"\xc0\x0c" + QUESTION_TAIL, "FORMERR"),
    ("pointer loop between two names",
     header(qd=2) + b"\x01a\xc0\x14" + QUESTION_TAIL + b"\x01b\xc0\x0c" + QUESTION_TAIL, "FORMERR"),
    ("pointer into the header", header() + b"\xc0\x02" + QUESTION_TAIL, "FORMERR"),
    ("forward pointer", header() + b"\xc0\x20" + QUESTION_TAIL + b"\x00" * 20, "FORMERR"),
    ("QDCOUNT=3 with one question", header(qd=3) + labels(b"hello", b"summon", b"test") + QUESTION_TAIL, "FORMERR"),
    ("ANCOUNT=65535 with no answers", header(an=0xFFFF) + labels(b"hello", b"summon", b"test") + QUESTION_TAIL, "FORMERR"),
    ("RDLENGTH past the end", header(ar=1) + labels(b"hello", b"summon", b"test") + QUESTION_TAIL
     + b"\x00\x00\x01\x00\x01\x00\x00\x00\x3c\xff\xff\x01\x02", "FORMERR"),
    ("label of 64 bytes", header() + b"\x40" + b"a" * 64 + b"\x00" + QUESTION_TAIL, "FORMERR"),
    ("label length byte 0x80 (reserved type)", header() + b"\x80abc\x00" + QUESTION_TAIL, "FORMERR"),
    ("name of 320 bytes", header() + labels(*[b"x" * 63] * 5) + QUESTION_TAIL, "FORMERR"),
    ("name past the end of the packet", header() + b"\x05hel", "FORMERR"),
    ("two OPT records", header(ar=2) + labels(b"hello", b"summon", b"test") + QUESTION_TAIL
     + (b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00") * 2, "FORMERR"),
    ("QDCOUNT=0", header(qd=0), "FORMERR"),
]


def run_all(c):
    for name, packet, expected in CASES:
        def body(packet=packet, expected=expected):
            reply = raw_udp(c.port, "127.0.0.1", packet, timeout=0.5 if expected is None else 2.0)
            if expected is None:
                return None if reply is None else f"answered {reply.hex()}"
            if reply is None:
                return "no answer"
            response = dns.message.from_wire(reply)
            got = dns.rcode.to_text(response.rcode())
            return None if got == expected and response.id == 0xABCD else f"{got} id {response.id:#x}"
        c.check(f"hostile UDP: {name}", body)
        c.alive(name)
    garbage(c)
    tcp_hostile(c)


def garbage(c):
    rng = random.Random(0x5EED)
    answered = 0
    for _ in range(300):
        packet = bytes(rng.randrange(256) for _ in range(rng.randrange(12, 200)))
        packet = packet[:2] + bytes([packet[2] & 0x7F]) + packet[3:]  # QR=0: must be answered
        reply = raw_udp(c.port, "127.0.0.1", packet, timeout=1.0)
        answered += reply is not None and reply[:2] == packet[:2]
    c.record("300 random packets with QR=0 each get an answer with their id", answered == 300, f"{answered} answered")
    c.alive("random garbage")


def tcp_hostile(c):
    def oversized():
        with tcp_connect(c.port) as sock:
            sock.sendall(struct.pack("!H", 65535) + b"\x00" * 100)
            return None if sock.recv(10) == b"" else "not closed"
    c.check("hostile TCP: a 65535-byte frame announced -> connection closed", oversized)
    c.alive("an oversized TCP frame")

    def malformed_then_good():
        with tcp_connect(c.port) as sock:
            sock.sendall(frame(header() + b"\xc0\x0c" + QUESTION_TAIL)
                         + frame(dns.message.make_query("hello.summon.test.", "A", id=3).to_wire()))
            first = read_exact(sock, struct.unpack("!H", read_exact(sock, 2))[0])
            second = read_exact(sock, struct.unpack("!H", read_exact(sock, 2))[0])
        ids = [struct.unpack("!H", m[:2])[0] for m in (first, second)]
        return None if ids == [0xABCD, 3] else f"ids {ids}"
    c.check("hostile TCP: a pointer loop gets FORMERR and the connection keeps working", malformed_then_good)

    def partial_then_close():
        with tcp_connect(c.port) as sock:
            sock.sendall(struct.pack("!H", 40) + b"\x12\x34")
        return None
    c.check("hostile TCP: half a frame, then the client vanishes", partial_then_close)
    c.alive("a partial TCP frame")
