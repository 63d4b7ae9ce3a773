"""Python websockets (Debian's python3-websockets) against a guarded endpoint, as an application uses it.

    /usr/bin/python3 websockets_check.py ws://127.0.0.1:8080/sizeguard

websockets offers permessage-deflate by default and compresses every message it sends once negotiated. Prints
one line per check; CompressingClientsIT asserts on them. Exits 1 when a check cannot complete. Every wait is
bounded.
"""
import asyncio
import os
import sys

import websockets

TIMEOUT = 30


async def echo(base):
    async with websockets.connect(base + "/echo", max_size=None, open_timeout=TIMEOUT) as ws:
        negotiated = ws.response_headers.get("Sec-WebSocket-Extensions") or "(none)"
        print(f"websockets {websockets.__version__}, negotiated: {negotiated}", flush=True)
        text = "café 😀 message size is a policy; " * 1500
        await ws.send(text)
        reply = await asyncio.wait_for(ws.recv(), TIMEOUT)
        print(f"text echo intact: {reply == text}", flush=True)
        binary = os.urandom(200_000)
        await ws.send(binary)
        reply = await asyncio.wait_for(ws.recv(), TIMEOUT)
        print(f"binary echo intact: {reply == binary}", flush=True)


async def close_after(base, message):
    async with websockets.connect(base + "/echo", max_size=None, open_timeout=TIMEOUT) as ws:
        try:
            await ws.send(message)
            await asyncio.wait_for(ws.wait_closed(), TIMEOUT)
        except websockets.ConnectionClosed:
            pass
        return f"{ws.close_code} {ws.close_reason}"


async def main(base):
    await echo(base)
    print(f"64 MiB text: {await close_after(base, 'a' * (64 * 1024 * 1024))}", flush=True)
    print(f"256 MiB binary: {await close_after(base, bytes(256 * 1024 * 1024))}", flush=True)
    async with websockets.connect(base + "/echo", open_timeout=TIMEOUT) as ws:
        await ws.send("after the bombs")
        print(f"fresh session: {await asyncio.wait_for(ws.recv(), TIMEOUT)}", flush=True)
    print("DONE", flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: websockets_check.py ws://127.0.0.1:8080/sizeguard", file=sys.stderr)
        sys.exit(2)
    try:
        asyncio.run(asyncio.wait_for(main(sys.argv[1].rstrip("/")), 150))
    except Exception as failure:  # noqa: BLE001 - any failure ends the check with its description
        print(f"FAILED: {failure!r}", flush=True)
        sys.exit(1)
