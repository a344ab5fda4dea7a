"""A TCP relay in its own process, standing between a service and PostgreSQL so a test can take
the database away (stop: every connection through it drops, new ones are refused) and bring it
back (start again on the same port).

    python tests/tcp_proxy.py LISTEN_PORT TARGET_HOST TARGET_PORT
"""

import asyncio
import sys
import time


async def _pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def _serve(listen_port: int, host: str, port: int):
    async def relay(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(host, port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            _pipe(client_reader, server_writer), _pipe(server_reader, client_writer)
        )

    server = await asyncio.start_server(relay, "127.0.0.1", listen_port, reuse_address=True)
    async with server:
        await server.serve_forever()


class TcpProxy:
    """``TcpProxy(listen_port, "127.0.0.1", 5432).start()`` … ``.stop()`` … ``.start()``."""

    def __init__(self, listen_port: int, host: str, port: int):
        from tests.servers import Process

        self.port = listen_port
        self._process = Process(
            [sys.executable, "tests/tcp_proxy.py", str(listen_port), host, str(port)], listen_port
        )

    def start(self) -> "TcpProxy":
        self._process.start()
        return self

    def stop(self) -> None:
        """Kill the relay (no goodbye to either side) and wait until the port refuses."""
        import socket

        process = self._process.process
        if process and process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"127.0.0.1:{self.port} still accepts")


if __name__ == "__main__":
    asyncio.run(_serve(int(sys.argv[1]), sys.argv[2], int(sys.argv[3])))
