"""The latency proxy's own floor: how soon it answers calls made by a client that costs almost
nothing. One thread (asyncio) sends STS GetCallerIdentity calls, signed beforehand with botocore,
over ten connections opened beforehand, ten in flight at a time, to the verifying proxy answering
40 ms after each call arrived (Tests/TestSupport/emulator/verifying_proxy.py --latency-ms 40).
Prints, for rounds of 10 and 19 calls (seed 004's no-op plan makes 19 reads), the median of 5
runs and the answer times of the last run's calls in ms. What imgstack's client adds is the
refresh-floor benchmark's figure minus this one.

Usage: python3 Benchmarks/proxy_floor.py     (needs moto[server], as the Swift benchmarks do)
"""

import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "Browser"))

from support.emulator import Emulator, signed_sts_call  # noqa: E402

LATENCY_MS = 40
IN_FLIGHT = 10


async def exchange(reader, writer, request):
    writer.write(request)
    await writer.drain()
    status = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    if b" 200 " not in status:
        raise RuntimeError(f"the proxy answered {status!r}")


async def run(host, port, calls):
    """Seconds for `calls` calls ten at a time, and each call's answer time in ms from the start."""
    connections = [await asyncio.open_connection(host, port) for _ in range(IN_FLIGHT)]
    queue = [signed_sts_call(host, port) for _ in range(calls)]
    answered = []
    start = time.perf_counter()

    async def worker(reader, writer):
        while queue:
            await exchange(reader, writer, queue.pop())
            answered.append((time.perf_counter() - start) * 1000)

    await asyncio.gather(*(worker(*connection) for connection in connections))
    elapsed = time.perf_counter() - start
    for _, writer in connections:
        writer.close()
    return elapsed, sorted(answered)


def main():
    emulator = Emulator(proxy_arguments=["--latency-ms", str(LATENCY_MS)])
    try:
        host, port = "127.0.0.1", int(emulator.endpoint.rsplit(":", 1)[1])
        asyncio.run(run(host, port, IN_FLIGHT))  # moto makes its STS backend on the first call
        for calls in (IN_FLIGHT, 19):
            runs = [asyncio.run(run(host, port, calls)) for _ in range(5)]
            median = statistics.median(seconds for seconds, _ in runs) * 1000
            print(f"{calls} calls, {IN_FLIGHT} in flight, {LATENCY_MS} ms each: {median:.1f} ms (median of 5); "
                  f"answers at {' '.join(f'{ms:.1f}' for ms in runs[-1][1])} ms")
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
