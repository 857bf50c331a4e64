#!/usr/bin/env python3
"""attack.py: the intake standing under attack, for bench/run (not a test: it prints figures).

  attack.py slow PORT SECONDS    500 connections send their headers a byte every 5 s and 2 send a
                                 50 MiB burst of an upload and then a byte every 20 s (each opened
                                 again when the intake cuts it); meanwhile an honest reporter files
                                 reports with a 1 MiB file, one after another. Prints: the slowest
                                 acknowledgement in seconds, the reports acknowledged, the reports
                                 tried, the cuts seen.
  attack.py bigsave PORT MIB     one report with a MIB MiB file is sent; while the intake saves it,
                                 GET / is asked again and again. Prints: the p99 and the slowest of
                                 those GETs in ms, how many, and the big report's HTTP status.
"""
import re
import socket
import sys
import threading
import time

BOUNDARY = "BENCHBOUNDARY"


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=120)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_answer(s):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def status_of(answer):
    m = re.match(rb"HTTP/1\.[01] (\d+)", answer)
    return int(m.group(1)) if m else -1


def get(port, path="/"):
    s = connect(port)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    answer = read_answer(s)
    s.close()
    return answer


def csrf(port):
    m = re.search(rb'name="csrf" value="([^"]+)"', get(port))
    return m.group(1).decode()


def report_head(token, file_bytes):
    """The multipart body up to the file's content, its end, and the whole length."""
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nbullying\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nwith a file\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a.bin\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    return head, tail, len(head) + file_bytes + len(tail)


def request_head(length):
    return (f"POST /report HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n\r\n").encode()


def file_report(port, token, file_bytes):
    head, tail, length = report_head(token, file_bytes)
    s = connect(port)
    s.sendall(request_head(length) + head)
    block = b"\x5a" * 65536
    left = file_bytes
    while left > 0:
        n = min(left, len(block))
        s.sendall(block[:n])
        left -= n
    s.sendall(tail)
    answer = read_answer(s)
    s.close()
    return status_of(answer)


stop = threading.Event()
cuts = [0]
lock = threading.Lock()


def attacker(port, start, drip_seconds):
    """Opens a connection, sends what start(socket) sends, then a byte every drip_seconds;
    opens another when the intake cuts it (counted), until the run stops."""
    while not stop.is_set():
        try:
            s = connect(port)
            start(s)
            while not stop.is_set():
                time.sleep(drip_seconds)
                s.sendall(b"a")
        except OSError:
            with lock:
                cuts[0] += 1
            time.sleep(0.2)


def slow_header(port):
    attacker(port, lambda s: s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "), 5)


def trickle(port, token):
    burst = 50 * 1024 * 1024

    def start(s):
        head, _, length = report_head(token, burst * 2)
        s.sendall(request_head(length) + head)
        block = b"\x00" * 65536
        for _ in range(burst // len(block)):
            s.sendall(block)

    attacker(port, start, 20)


def slow(port, seconds):
    token = csrf(port)
    threads = [threading.Thread(target=slow_header, args=(port,), daemon=True) for _ in range(500)]
    threads += [threading.Thread(target=trickle, args=(port, token), daemon=True) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(3)   # the attack is in place
    worst, ok, tried = 0.0, 0, 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            status = file_report(port, token, 1024 * 1024)
        except OSError:
            status = -1
        took = time.monotonic() - t0
        tried += 1
        ok += status == 200
        worst = max(worst, took)
    stop.set()
    print(f"{worst:.2f} {ok} {tried} {cuts[0]}")


def bigsave(port, mib):
    token = csrf(port)
    result = {}

    def big():
        result["status"] = file_report(port, token, mib * 1024 * 1024)

    t = threading.Thread(target=big)
    t.start()
    times = []
    while t.is_alive():
        t0 = time.monotonic()
        get(port)
        times.append((time.monotonic() - t0) * 1000)
        time.sleep(0.01)
    t.join()
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] if times else 0
    print(f"{p99:.1f} {times[-1] if times else 0:.1f} {len(times)} {result.get('status', -1)}")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("slow", "bigsave"):
        sys.exit(__doc__)
    (slow if sys.argv[1] == "slow" else bigsave)(int(sys.argv[2]), int(sys.argv[3]))
