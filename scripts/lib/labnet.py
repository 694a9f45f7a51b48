"""Sockets inside the lab's network namespace, and the smallest DNS client the scripts need.

A socket stays in the namespace it was created in, so a thread enters the lab namespace just
long enough to create one, then returns: the rest of the script keeps the host's namespace.
"""
import ctypes
import os
import socket
import struct

LAB_NETNS = "/run/netns/summoner-lab"


def _setns(fd):
    if hasattr(os, "setns"):  # Python 3.12+
        os.setns(fd, os.CLONE_NEWNET)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


def lab_socket(kind=socket.SOCK_DGRAM, netns=LAB_NETNS):
    """An IPv4 socket created inside the lab namespace."""
    with open("/proc/self/ns/net") as home, open(netns) as lab_ns:
        _setns(lab_ns.fileno())
        try:
            return socket.socket(socket.AF_INET, kind)
        finally:
            _setns(home.fileno())


def a_query(name, query_id):
    """The wire bytes of a recursion-desired A query for `name`."""
    labels = b"".join(bytes([len(part)]) + part.encode() for part in name.rstrip(".").split("."))
    return struct.pack(">HHHHHH", query_id, 0x0100, 1, 0, 0, 0) + labels + b"\0" + struct.pack(">HH", 1, 1)


def a_answer(response, query_id):
    """(rcode, [addresses]) of a response to `a_query`; addresses from A records in the answer
    section (the server does not compress differently than RFC 1035 allows)."""
    rid, flags, qd, an, _, _ = struct.unpack(">HHHHHH", response[:12])
    if rid != query_id:
        raise ValueError(f"response id {rid} does not match query id {query_id}")
    offset = 12
    for _ in range(qd):
        offset = _skip_name(response, offset) + 4
    addresses = []
    for _ in range(an):
        offset = _skip_name(response, offset)
        rtype, _, _, length = struct.unpack(">HHIH", response[offset:offset + 10])
        offset += 10
        if rtype == 1 and length == 4:
            addresses.append(socket.inet_ntoa(response[offset:offset + 4]))
        offset += length
    return flags & 0xF, addresses


def _skip_name(data, offset):
    while True:
        length = data[offset]
        if length & 0xC0 == 0xC0:
            return offset + 2
        if length == 0:
            return offset + 1
        offset += 1 + length
