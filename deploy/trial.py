"""A throwaway installation of the course's hub, for the end-to-end test and the benchmark.

:class:`TrialHub` installs the hub with ``dpdlab_hub.py`` (the same command an academy runs) into one
temporary folder: prefix, state, course directory, exchange and homes all lie under it, the users carry a
random tag (``dh1a2b-...``), the hub, its API and the proxy listen on free ports of 127.0.0.1, and
nothing is written to /etc or to the system's Jupyter folders. Its ``local_config.py`` adds what only a
test may have: the dummy authenticator with a shared password and a service token to drive the term.
:meth:`TrialHub.remove` stops the hub and every server and removes the users and the folder.
"""
from __future__ import annotations

import csv
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import dpdlab_hub  # noqa: E402

COURSE_ID = "dpd-latam"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TrialHub:
    """One installation under ``root`` with users tagged ``tag``; see the module's documentation."""

    def __init__(self, root: Path, checkout: Path, proxy: Path | None = None, prefix: Path | None = None):
        self.root, self.checkout, self.proxy = Path(root), Path(checkout), proxy
        self.tag = "dh" + secrets.token_hex(2)
        self.token = secrets.token_hex(24)
        self.password = secrets.token_hex(12)
        self.port, self.hub_port, self.proxy_api_port, self.grader_port = (free_port() for _ in range(4))
        self.etc = self.root / "etc"
        self.prefix = Path(prefix) if prefix else self.root / "opt"
        self.process: subprocess.Popen | None = None
        self.log_path = self.root / "hub.log"
        self.users: list[str] = []

    # -- names and settings --------------------------------------------------------------------------------
    def user(self, role: str) -> str:
        return f"{self.tag}-{role}"

    @property
    def grader(self) -> str:
        return self.user("grader")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self) -> dpdlab_hub.Settings:
        return dpdlab_hub.Settings.read(self.etc / "settings.toml")

    def settings_text(self) -> str:
        """The installation's settings.toml: deploy/settings.toml with every path and port moved."""
        text = (self.checkout / "deploy" / "settings.toml").read_text(encoding="utf-8")
        moved = {
            'directory = "/srv/dpdlab/course"': f'directory = "{self.root}/srv/course"',
            'exchange = "/srv/nbgrader/exchange"': f'exchange = "{self.root}/srv/exchange"',
            'grader = "grader-dpd-latam"': f'grader = "{self.grader}"',
            'prefix = "/opt/dpdlab"': f'prefix = "{self.prefix}"',
            'state = "/var/lib/dpdlab-hub"': f'state = "{self.root}/state"',
            'home = "/home"': f'home = "{self.root}/home"',
            'bind_url = "http://:8000"': f'bind_url = "http://127.0.0.1:{self.port}"',
            "hub_port = 8081": f"hub_port = {self.hub_port}",
            "proxy_api_port = 8001": f"proxy_api_port = {self.proxy_api_port}",
            "grader_port = 9999": f"grader_port = {self.grader_port}",
        }
        for old, new in moved.items():
            if old not in text:
                raise ValueError(f"deploy/settings.toml no longer has '{old}'")
            text = text.replace(old, new)
        return text

    # -- install, cohort ------------------------------------------------------------------------------------
    def command(self, *args: str, check: bool = True, **kw) -> subprocess.CompletedProcess:
        """``dpdlab_hub.py ARGS`` with this installation's settings, run by the system Python."""
        return subprocess.run(["/usr/bin/python3", str(HERE / "dpdlab_hub.py"), "--settings",
                               str(self.etc / "settings.toml"), *args], check=check, **kw)

    def install(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)  # the users' homes and the exchange lie beneath
        (self.root / "home").mkdir(exist_ok=True)
        (self.root / "home").chmod(0o755)
        source = self.root / "settings.source.toml"
        source.write_text(self.settings_text(), encoding="utf-8")
        args = ["install", "--checkout", str(self.checkout), "--config-dir", str(self.etc), "--no-apt",
                "--no-systemd"]
        if self.proxy:
            args += ["--proxy", str(self.proxy)]
        subprocess.run(["/usr/bin/python3", str(HERE / "dpdlab_hub.py"), "--settings", str(source), *args],
                       check=True, stdout=subprocess.DEVNULL if not os.environ.get("DPDLAB_HUB_VERBOSE") else None)
        self.users.append(self.grader)
        (self.etc / "local_config.py").write_text(f"""# Test only: a shared password and a token to drive the term.
c = get_config()  # noqa: F821
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {self.password!r}
c.JupyterHub.services.append({{"name": "trial-driver", "api_token": {self.token!r}}})
c.JupyterHub.load_roles.append({{"name": "trial-driver", "services": ["trial-driver"],
    "scopes": ["admin:users", "admin:servers", "access:servers", "access:services", "list:services",
               "read:services", "tokens"]}})
c.JupyterHub.log_level = "INFO"
""", encoding="utf-8")

    def add_cohort(self, students: list[str], instructors: list[str], name: str = "trial") -> None:
        roster = self.root / f"{name}.csv"
        with open(roster, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["student_id", "role", "first_name", "last_name", "email"])
            for username in instructors:
                writer.writerow([username, "instructor", "Trial", "Instructor", ""])
            for username in students:
                writer.writerow([username, "student", "Trial", username.split("-")[-1], ""])
        self.users += [*instructors, *students]
        self.command("add-cohort", str(roster), "--name", name, stdout=subprocess.DEVNULL)

    # -- the hub process ------------------------------------------------------------------------------------
    def start(self, timeout: float = 90) -> None:
        settings = self.settings
        env = {"PATH": f"{settings.env / 'bin'}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
               "DPDLAB_HUB_SETTINGS": str(settings.path), "HOME": "/root"}
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(settings.env / "bin" / "jupyterhub"), "-f",
             str(settings.course_copy / "deploy" / "jupyterhub_config.py")],
            cwd=settings.state, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub stopped (exit {self.process.returncode}):\n{self.log_tail()}")
            try:
                if self.api("GET", "/services").status == 200 and self.grader_ready():
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"the hub did not come up in {timeout} s:\n{self.log_tail()}")

    def grader_ready(self) -> bool:
        try:
            return self.request("GET", f"/services/{COURSE_ID}/formgrader/api/status").status == 200
        except OSError:
            return False

    def stop(self, timeout: float = 30) -> None:
        """Stop the hub (SIGTERM, as systemd does); users' servers keep running (cleanup_servers False)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # -- HTTP ------------------------------------------------------------------------------------------------
    def request(self, method: str, path: str, body=None, token: str | None = None, raw: bytes | None = None,
                timeout: float = 120):
        """A request through the proxy (``path`` from the root, e.g. ``/user/x/api/contents``); returns the
        response (an ``HTTPError`` is returned too, as a response with its status)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"token {token or self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            response = urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error
        response.body = response.read()
        return response

    def api(self, method: str, path: str, body=None, token: str | None = None, timeout: float = 120):
        return self.request(method, "/hub/api" + path, body, token, timeout=timeout)

    def json(self, method: str, path: str, body=None, token: str | None = None, expect=(200, 201)):
        response = self.request(method, path, body, token)
        if response.status not in expect:
            raise AssertionError(f"{method} {path}: {response.status} {response.body[:500]!r}")
        return json.loads(response.body) if response.body else None

    def user_token(self, username: str) -> str:
        reply = self.json("POST", f"/hub/api/users/{username}/tokens", {"note": "trial", "expires_in": 3600})
        return reply["token"]

    def spawn(self, username: str, timeout: float = 180) -> float:
        """Start ``username``'s server and wait until it answers; returns the seconds it took."""
        began = time.monotonic()
        response = self.api("POST", f"/users/{username}/server")
        if response.status not in (201, 202, 400):  # 400: already running
            raise AssertionError(f"spawn {username}: {response.status} {response.body[:300]!r}")
        self.wait_ready(username, timeout)
        return time.monotonic() - began

    def spawn_all(self, usernames: list[str], timeout: float = 300) -> dict[str, float]:
        """Start every server at once, as a class signing in together; the seconds until each answered."""
        from concurrent.futures import ThreadPoolExecutor

        began = time.monotonic()
        # the hub answers a spawn request only once the server is up or 10 s have passed: send them together
        with ThreadPoolExecutor(max_workers=min(len(usernames), 16) or 1) as pool:
            responses = list(pool.map(lambda name: self.api("POST", f"/users/{name}/server"), usernames))
        for username, response in zip(usernames, responses):
            if response.status not in (201, 202, 400):
                raise AssertionError(f"spawn {username}: {response.status} {response.body[:300]!r}")
        seconds = {}
        for username in usernames:
            self.wait_ready(username, timeout)
            seconds[username] = time.monotonic() - began
        return seconds

    def wait_ready(self, username: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.json("GET", f"/hub/api/users/{username}")
            server = model.get("servers", {}).get("", {})
            if server.get("ready"):
                return
            if not model.get("pending") and not server:
                raise AssertionError(f"{username}'s server stopped:\n{self.log_tail()}")
            time.sleep(0.3)
        raise TimeoutError(f"{username}'s server did not start in {timeout} s")

    # -- kernels -------------------------------------------------------------------------------------------
    def start_kernel(self, username: str) -> str:
        """A new kernel in ``username``'s server; its id."""
        return self.json("POST", f"/user/{username}/api/kernels", {"name": "python3"})["id"]

    def run_cells(self, username: str, cells: list[str], timeout: float = 300, kernel: str | None = None) -> list[dict]:
        """Run ``cells`` one after the other in ``kernel`` (default: a new kernel) of ``username``'s server, and
        return each cell's result: ``{"status", "stdout", "error"}``. The kernel is left running (for memory
        measures)."""
        import asyncio

        kernel = kernel or self.start_kernel(username)
        return asyncio.run(_run_cells(self.url.replace("http", "ws", 1), username, kernel, self.token, cells, timeout))

    # -- removal ---------------------------------------------------------------------------------------------
    def remove(self) -> None:
        """Stop the hub, the proxy and every process of the installation's users (by their ids); remove the
        users and the folder."""
        self.stop()
        if self.process is not None:
            _kill_group(self.process.pid)
        proxy_pid = self.root / "state" / "jupyterhub-proxy.pid"
        if proxy_pid.exists():
            _kill(int(proxy_pid.read_text().strip() or 0))
        uids = set()
        for username in self.users:
            try:
                uids.add(pwd.getpwnam(username).pw_uid)
            except KeyError:
                pass
        for _ in range(3):  # kill, then look again: a dying server may have started a child
            for pid in processes_of(uids):
                _kill(pid)
            time.sleep(0.3)
        for username in self.users:
            dpdlab_hub.remove_user(username)
        if not os.environ.get("DPDLAB_HUB_TEST_PREFIX"):  # a kept environment (local runs) stays
            shutil.rmtree(self.prefix, ignore_errors=True)
        shutil.rmtree(self.root, ignore_errors=True)


def processes_of(uids: set[int]) -> list[int]:
    """The ids of the running processes owned by ``uids``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in uids:
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _kill(pid: int) -> None:
    if pid > 1:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


async def _run_cells(ws_base: str, username: str, kernel_id: str, token: str, cells: list[str],
                     timeout: float) -> list[dict]:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    # a class signing in at once keeps a small server busy: allow the connection time
    request = HTTPRequest(f"{ws_base}/user/{username}/api/kernels/{kernel_id}/channels",
                          headers={"Authorization": f"token {token}"}, connect_timeout=120, request_timeout=120)
    connection = await websocket_connect(request)
    session = uuid.uuid4().hex
    results = []
    try:
        for code in cells:
            msg_id = uuid.uuid4().hex
            await connection.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                           "username": username, "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": False}}))
            result = {"status": None, "stdout": "", "error": ""}
            idle = False
            deadline = time.monotonic() + timeout
            while result["status"] is None or not idle:
                import asyncio

                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"a cell did not finish in {timeout} s: {code[:80]!r}")
                message = await asyncio.wait_for(connection.read_message(), remaining)
                if message is None:
                    raise ConnectionError("the kernel's websocket closed")
                msg = json.loads(message)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    result["stdout"] += content.get("text", "")
                elif kind == "error":
                    result["error"] = f"{content.get('ename')}: {content.get('evalue')}"
                elif kind == "execute_reply":
                    result["status"] = content.get("status")
                elif kind == "status" and content.get("execution_state") == "idle":
                    idle = True
            results.append(result)
    finally:
        connection.close()
    return results
