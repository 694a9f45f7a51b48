"""Well-formed queries for scripts/dns-e2e-test: dig, kdig, dnspython, UDP, TCP, pipelining,
EDNS, 0x20 case, unknown types and RFC 8482 ANY."""
import socket
import time

import dns.flags
import dns.edns
import dns.message
import dns.opcode
import dns.rcode
import dns.rdatatype

from dnse2e import (ZONE, addresses, frame, read_tcp_messages, run_tool, tcp_connect, udp_query)


def run_all(c):
    tools(c)
    answers(c)
    edns_and_case(c)
    tcp(c)
    forwarding(c)


def forwarding(c):
    """Out-of-zone queries from 127.0.0.0/8 go to the upstream test server; ::1 is not allowed."""
    def forwarded(host):
        response = udp_query(c.port, host, dns.message.make_query("WwW.example.test.", "A", id=0x0F0F))
        if response is None:
            return "no answer"
        if response.id != 0x0F0F or response.question[0].name.to_text() != "WwW.example.test.":
            return f"id {response.id:#x} question {response.question[0].name}"
        return expect(response, 0, ["WwW.example.test. 30 IN A 192.0.2.1"])
    c.check("forwarding: an allowed client (127.0.0.1) gets the upstream's answer", lambda: forwarded("127.0.0.1"))
    c.check("forwarding: a client outside the allow list (::1) is REFUSED",
            lambda: expect(udp_query(c.port, "::1", dns.message.make_query("www.example.test.", "A")),
                           dns.rcode.REFUSED, [], aa=False))
    out = run_tool(["dig", "@127.0.0.1", "-p", str(c.port), "+tcp", "+short", "+time=2", "+tries=1", "www.example.test"])
    c.check("forwarding: over TCP too", lambda: None if out.strip() == "192.0.2.1" else f"printed {out!r}")


def tools(c):
    p = str(c.port)
    limits = {"dig": ["+time=2", "+tries=1"], "kdig": ["+timeout=2", "+retry=0"]}
    for tool in ["dig", "kdig"]:
        for host in ["127.0.0.1", "::1"]:
            for transport in ["+notcp", "+tcp"]:
                out = run_tool([tool, f"@{host}", "-p", p, transport, "+short", *limits[tool], "hello." + ZONE])
                c.check(f"{tool} {transport} via {host}",
                        lambda out=out: None if out.strip() == "10.77.0.10" else f"printed {out!r}")
    out = run_tool(["kdig", "@127.0.0.1", "-p", p, "+tcp", "+keepopen", "+short", "hello." + ZONE, "web." + ZONE])
    c.check("kdig +keepopen: two queries on one TCP connection",
            lambda: None if out.split() == ["10.77.0.10", "10.77.0.11"] else f"printed {out!r}")
    out = run_tool(["dig", "@127.0.0.1", "-p", p, "+noedns", "+time=2", "many." + ZONE])
    c.check("dig: 40 records over 512-byte UDP -> TC=1, retried over TCP",
            lambda: None if "Truncated, retrying in TCP mode" in out and "ANSWER: 40" in out else out)


def expect(response, rcode, answers=None, soa=False, aa=True):
    if response is None:
        return "no answer"
    if response.rcode() != rcode:
        return f"rcode {dns.rcode.to_text(response.rcode())}"
    if aa != bool(response.flags & dns.flags.AA):
        return f"AA is {not aa}"
    if answers is not None and [rrset.to_text() for rrset in response.answer] != answers:
        return f"answer {[rrset.to_text() for rrset in response.answer]}"
    has_soa = [rrset.rdtype for rrset in response.authority] == [dns.rdatatype.SOA]
    if soa != has_soa:
        return f"authority {[rrset.to_text() for rrset in response.authority]}"
    return None


def ask(c, name, rdtype="A", rdclass="IN", **kwargs):
    return udp_query(c.port, "127.0.0.1", dns.message.make_query(name, rdtype, rdclass, **kwargs))


def answers(c):
    c.check("A for a service", lambda: expect(ask(c, "hello." + ZONE), 0, ["hello.summon.test. 30 IN A 10.77.0.10"]))
    c.check("name with no service: NXDOMAIN + SOA", lambda: expect(ask(c, "nope." + ZONE), dns.rcode.NXDOMAIN, [], soa=True))
    c.check("AAAA for a service: NODATA + SOA", lambda: expect(ask(c, "hello." + ZONE, "AAAA"), 0, [], soa=True))
    c.check("apex SOA", lambda: None if ask(c, ZONE, "SOA").answer[0].rdtype == dns.rdatatype.SOA else "no SOA")
    c.check("apex NS", lambda: expect(ask(c, ZONE, "NS"), 0, ["summon.test. 60 IN NS ns.summon.test."]))
    c.check("ANY for a service: one HINFO (RFC 8482)",
            lambda: expect(ask(c, "hello." + ZONE, "ANY"), 0, ['hello.summon.test. 60 IN HINFO "RFC8482" ""']))
    c.check("out of zone: REFUSED", lambda: expect(ask(c, "example.com.", "A"), dns.rcode.REFUSED, [], aa=False))
    c.check("class CH: REFUSED", lambda: expect(ask(c, "version.bind.", "TXT", "CH"), dns.rcode.REFUSED, [], aa=False))
    c.check("unknown type TYPE65280 for a service: NODATA",
            lambda: expect(ask(c, "hello." + ZONE, "TYPE65280"), 0, [], soa=True))
    c.check("unknown type TYPE999 at the apex: NODATA", lambda: expect(ask(c, ZONE, "TYPE999"), 0, [], soa=True))
    c.check("slow name answered through the async path",
            lambda: expect(ask(c, "slow." + ZONE), 0, ["slow.summon.test. 30 IN A 10.77.0.12"]))
    # Regression: the UDP server read batches of datagrams into one buffer split 64 bytes each,
    # so any query longer than that (dig's, with a COOKIE) came back FORMERR.
    long_name = ".".join(["a" * 60] * 3) + "." + ZONE
    c.check("long query (250-byte name, EDNS padding): NXDOMAIN, not cut short",
            lambda: expect(ask(c, long_name, use_edns=0, options=[dns.edns.GenericOption(12, b"\0" * 200)]),
                           dns.rcode.NXDOMAIN, [], soa=True))
    c.check("dig-sized query with a COOKIE for a missing name: NXDOMAIN",
            lambda: expect(ask(c, "no-such-service." + ZONE, use_edns=0,
                               options=[dns.edns.GenericOption(10, bytes(range(8)))]), dns.rcode.NXDOMAIN, [], soa=True))
    notify = dns.message.make_query(ZONE, "SOA")
    notify.set_opcode(dns.opcode.NOTIFY)
    c.check("NOTIFY: NOTIMP", lambda: expect(udp_query(c.port, "127.0.0.1", notify), dns.rcode.NOTIMP, aa=False))


def edns_and_case(c):
    def edns():
        response = ask(c, "hello." + ZONE, use_edns=0, payload=4096)
        return None if response.edns == 0 and response.payload == 1232 else f"edns {response.edns} {response.payload}"
    c.check("EDNS: OPT with our 1232-byte payload", edns)
    c.check("no EDNS in, no OPT out", lambda: None if ask(c, "hello." + ZONE, use_edns=False).edns == -1 else "OPT")
    def badvers():
        query = dns.message.make_query("hello." + ZONE, "A")
        query.use_edns(edns=1)
        response = udp_query(c.port, "127.0.0.1", query)
        return expect(response, dns.rcode.BADVERS, [], aa=False) or (None if response.edns == 0 else "OPT version")
    c.check("EDNS version 1: BADVERS with OPT version 0", badvers)
    c.check("DO bit echoed", lambda: None if ask(c, "hello." + ZONE, want_dnssec=True).ednsflags & dns.flags.DO else "no DO")

    def mixed_case():
        name = "hElLo.SuMmOn.TeSt."
        response = ask(c, name)
        echoed = [response.question[0].name.to_text(), response.answer[0].name.to_text()]
        return None if echoed == [name, name] else f"echoed {echoed}"
    c.check("0x20: the query's case is echoed", mixed_case)
    c.check("IPv6 UDP", lambda: expect(udp_query(c.port, "::1", dns.message.make_query("web." + ZONE, "A")), 0,
                                       ["web.summon.test. 30 IN A 10.77.0.11"]))


def tcp(c):
    def pipelined():
        names = ["slow", "hello", "web", "nope", "many", "hello", "web", "nope"]
        queries = [dns.message.make_query(n + "." + ZONE, "A", id=1000 + i) for i, n in enumerate(names)]
        with tcp_connect(c.port) as sock:
            sock.sendall(b"".join(frame(q.to_wire()) for q in queries))
            replies = read_tcp_messages(sock, len(queries))
        order = [r.id for r in replies]
        if sorted(order) != [q.id for q in queries]:
            return f"ids {order}"
        by_id = {r.id: r for r in replies}
        if addresses(by_id[1000]) != ["10.77.0.12"] or len(by_id[1004].answer[0]) != 40:
            return "wrong answers"
        return None if order[-1] == 1000 else f"slow answer not overtaken: order {order}"
    c.check("pipelined TCP: 8 queries in one write, answers matched by id, slow one overtaken", pipelined)

    def half_close():
        with tcp_connect(c.port, "::1") as sock:
            sock.sendall(frame(dns.message.make_query("slow." + ZONE, "A", id=7).to_wire()))
            sock.shutdown(socket.SHUT_WR)
            reply = read_tcp_messages(sock, 1)[0]
            return None if reply.id == 7 and sock.recv(1) == b"" else "no answer or not closed"
    c.check("TCP over IPv6: answer after the client's EOF, then close", half_close)

    def idle_reuse():
        with tcp_connect(c.port) as sock:
            for i in range(3):
                sock.sendall(frame(dns.message.make_query("hello." + ZONE, "A", id=i).to_wire()))
                if read_tcp_messages(sock, 1)[0].id != i:
                    return f"query {i}"
                time.sleep(0.2)
        return None
    c.check("TCP: sequential queries on one connection", idle_reuse)
