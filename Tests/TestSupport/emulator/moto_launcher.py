"""Runs moto's server with the gaps listed in MOTO.md filled the way AWS behaves.

Usage: moto_launcher.py [--host 127.0.0.1] [--port 0]
It prints "LISTENING <port>" on stdout once moto accepts connections, and exits when
its parent process dies. POST /moto-api/imgstack/authorize answers the enforcing proxy's
questions (iam_authorization.py).
"""

import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from moto.server import ThreadedMotoServer  # noqa: E402

import iam_authorization  # noqa: E402
import moto_patches  # noqa: E402


def exit_when_orphaned(interval=0.5):
    """Ends this process when its parent dies, so test runs never leave servers behind."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()
    exit_when_orphaned()
    moto_patches.apply_all()
    iam_authorization.register()
    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    print(f"LISTENING {server.get_host_and_port()[1]}", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
