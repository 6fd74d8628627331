"""A small closed-loop HTTP load generator, and a canned server to measure its ceiling.

    python -m bench.load hit --port P --connections 8 --start-at T --seconds 12 \\
        [--cookie 'sessionid=...'] [--header 'HX-Request: true'] PATH [PATH ...]
    python -m bench.load canned --port P --seconds 60

`hit` keeps --connections HTTP/1.1 connections to 127.0.0.1:P alive and sends a GET on
each as soon as the previous response on it is complete (a closed loop: as many requests
in flight as connections), cycling through the paths. It warms up until --start-at (a
time.time() value, so that several processes measure the same window), counts the
responses completed in the following --seconds, and prints one JSON object: requests,
responses by status, requests per second, latency percentiles, and the CPU time this
process used while measuring (what the client took from the machine's two cores).

It is one process with a selector loop and no HTTP library: a request is a prepared
bytes object and a response is parsed only as far as its length (Content-Length or
chunked), so that the client costs the server as little CPU as it can. `canned` answers
every request with the same small response, as fast as Python can: against it `hit`
shows its own ceiling. Both stop by themselves (--seconds), and talk only to loopback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import resource
import selectors
import socket
import sys
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"
MAX_SECONDS = 600  # neither command runs longer than this, whatever it is told


@dataclass
class Conn:
    sock: socket.socket
    buffer: bytearray = field(default_factory=bytearray)
    sent_at: float = 0.0
    path_index: int = 0


class BadResponse(Exception):
    pass


def response_length(buffer: bytearray) -> tuple[int, int] | None:
    """(status, total length) of the first complete response in buffer, or None if the
    response is not complete yet."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buffer[:end]).decode("latin-1")
    lines = head.split("\r\n")
    try:
        status = int(lines[0].split(" ", 2)[1])
    except (IndexError, ValueError) as exc:
        raise BadResponse(lines[0][:80]) from exc
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = end + 4
    if "content-length" in headers:
        total = body + int(headers["content-length"])
        return (status, total) if len(buffer) >= total else None
    if headers.get("transfer-encoding", "").lower() == "chunked":
        at = body
        while True:
            line_end = buffer.find(b"\r\n", at)
            if line_end < 0:
                return None
            size = int(bytes(buffer[at:line_end]).split(b";")[0], 16)
            at = line_end + 2 + size + 2
            if len(buffer) < at:
                return None
            if size == 0:
                return status, at
    if status in (204, 304) or 100 <= status < 200:
        return status, body
    raise BadResponse("a response with neither Content-Length nor chunked encoding")


def hit(args: argparse.Namespace) -> dict[str, object]:
    headers = "".join(f"{h}\r\n" for h in args.header)
    if args.cookie:
        headers += f"Cookie: {args.cookie}\r\n"
    requests = [
        (
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{args.port}\r\n"
            f"User-Agent: govtrain-bench\r\n{headers}\r\n"
        ).encode()
        for path in args.paths
    ]
    selector = selectors.DefaultSelector()
    hard_stop = time.monotonic() + MAX_SECONDS
    start_at = time.monotonic() + max(0.0, args.start_at - time.time())
    stop_at = start_at + args.seconds
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    next_path = 0
    reconnects = 0

    def send(conn: Conn) -> None:
        nonlocal next_path
        conn.path_index = next_path
        next_path = (next_path + 1) % len(requests)
        conn.sent_at = time.perf_counter()
        conn.sock.sendall(requests[conn.path_index])

    def connect() -> Conn:
        sock = socket.create_connection((HOST, args.port), timeout=30)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = Conn(sock)
        selector.register(sock, selectors.EVENT_READ, conn)
        send(conn)
        return conn

    conns = [connect() for _ in range(args.connections)]
    cpu_at_start: float | None = None
    measuring = False
    while True:
        now = time.monotonic()
        if not measuring and now >= start_at:
            measuring = True
            usage = resource.getrusage(resource.RUSAGE_SELF)
            cpu_at_start = usage.ru_utime + usage.ru_stime
            statuses.clear()
            latencies.clear()
        if now >= stop_at or now >= hard_stop:
            break
        for key, _events in selector.select(timeout=0.5):
            conn: Conn = key.data
            data = conn.sock.recv(262144)
            if not data:  # the server closed the connection: open another
                selector.unregister(conn.sock)
                conn.sock.close()
                conns.remove(conn)
                conns.append(connect())
                reconnects += 1
                continue
            conn.buffer += data
            done = response_length(conn.buffer)
            if done is None:
                continue
            status, length = done
            finished = time.perf_counter()
            if len(conn.buffer) > length:
                raise BadResponse("more bytes than one response: the client does not pipeline")
            conn.buffer.clear()
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(finished - conn.sent_at)
            send(conn)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - (cpu_at_start or 0.0)
    for conn in conns:
        selector.unregister(conn.sock)
        conn.sock.close()
    count = sum(statuses.values())
    latencies.sort()

    def pct(share: float) -> float:
        if not latencies:
            return 0.0
        return round(latencies[max(1, math.ceil(share * len(latencies))) - 1] * 1000, 2)

    return {
        "requests": count,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "seconds": args.seconds,
        "rps": round(count / args.seconds, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "client_cpu_seconds": round(cpu, 3),
        "reconnects": reconnects,
    }


CANNED = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n"
    b"X-Frame-Options: DENY\r\nVary: Cookie\r\n\r\nok\n"
)


def canned(args: argparse.Namespace) -> dict[str, object]:
    """Answer every request on the port with CANNED until --seconds have passed."""
    selector = selectors.DefaultSelector()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, args.port))
    listener.listen(128)
    listener.setblocking(False)
    selector.register(listener, selectors.EVENT_READ, None)
    stop_at = time.monotonic() + min(args.seconds, MAX_SECONDS)
    answered = 0
    buffers: dict[socket.socket, bytearray] = {}
    while time.monotonic() < stop_at:
        for key, _events in selector.select(timeout=0.5):
            if key.data is None:
                sock, _addr = listener.accept()
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                selector.register(sock, selectors.EVENT_READ, "conn")
                buffers[sock] = bytearray()
                continue
            sock = key.fileobj  # type: ignore[assignment]
            try:
                data = sock.recv(65536)
            except ConnectionError:
                data = b""  # the client went away in the middle: same as closing
            if not data:
                selector.unregister(sock)
                sock.close()
                del buffers[sock]
                continue
            buffer = buffers[sock]
            buffer += data
            while (end := buffer.find(b"\r\n\r\n")) >= 0:
                del buffer[: end + 4]
                sock.sendall(CANNED)
                answered += 1
    for sock in buffers:
        with contextlib.suppress(OSError):
            sock.close()
    listener.close()
    return {"answered": answered}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("hit", help="load a server on loopback")
    run.add_argument("--port", type=int, required=True)
    run.add_argument("--connections", type=int, default=8)
    run.add_argument("--start-at", type=float, default=0.0, help="time.time() to start counting")
    run.add_argument("--seconds", type=float, default=10.0, help="seconds to count")
    run.add_argument("--cookie", default="")
    run.add_argument("--header", action="append", default=[], help="'Name: value'")
    run.add_argument("paths", nargs="+")
    serve = commands.add_parser("canned", help="a canned-response server on loopback")
    serve.add_argument("--port", type=int, required=True)
    serve.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    if args.command == "hit":
        if not 1 <= args.connections <= 64 or not 0 < args.seconds <= MAX_SECONDS:
            parser.error("--connections must be 1 to 64 and --seconds at most 600")
        result = hit(args)
    else:
        result = canned(args)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
