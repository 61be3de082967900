"""The course's JupyterHub on one Linux server: install it, add a cohort, back up, upgrade, grade.

Run as root with the system Python (``sudo python3 deploy/dpdlab_hub.py COMMAND``, or ``deploy/dpdlab-hub``);
this file uses the standard library only. ``jupyterhub_config.py`` beside it imports it for the settings
and the rosters. deploy/README.md is the guide.

==============  ==========================================================================================
command         what it does
==============  ==========================================================================================
``install``     Debian packages; the course and its Python environment (from /usr/bin/python3, in a
                world-readable prefix); the proxy from npm; the exchange; the grader account and the course
                directory; the Jupyter settings of the environment; a systemd unit
``add-cohort``  a roster CSV: a system user per student and instructor (home 0700), the gradebook's
                student list, the hub's allowed users and the instructors' group
``remove-cohort``  the cohort's hub users (and, with ``--delete-users``, their system users and homes)
``backup``      the gradebook, the course directory's work, the exchange, the hub database and the rosters
``upgrade``     a new checkout of the course: backup first, then code and environment; sources of
                assignments already released are kept, submissions and grades are never touched
``grade``       ``dpdlab grade ...`` as the grader account, with the course's paths
``uninstall``   removes what ``install`` made (with ``--yes``); used by the tests
==============  ==========================================================================================
"""
from __future__ import annotations

import argparse
import csv
import grp
import hashlib
import json
import os
import pwd
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
DEFAULT_SETTINGS = Path(os.environ.get("DPDLAB_HUB_SETTINGS", "/etc/dpdlab-hub/settings.toml"))
# the proxy from npm, by the node.js major version it needs (5.x needs node 20; Debian 12 ships node 18)
PROXY_VERSIONS = ((20, "5.3.0"), (10, "4.6.3"))
DEBIAN_PACKAGES = ["python3-venv", "bubblewrap", "util-linux", "nodejs", "npm", "sqlite3"]
# what the course's copy on the hub holds of a checkout (never .git, .venv, build outputs)
COPIED = ["dpdlab", "data", "grading", "course", "cases", "deploy", "jupyter-config", "pyproject.toml",
          "requirements.txt", "README.md", "LICENSE"]
# what the course directory takes from the checkout's grading/ at install and upgrade
COURSE_FILES = ["nbgrader_config.py", "manifest.toml", "README.md"]
COURSE_FOLDERS = ["rubrics", "analytics"]
# the course directory's work, kept across upgrades and put in backups
COURSE_STATE = ["gradebook.db", "source", "release", "submitted", "autograded", "feedback", "reports"]
USERNAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
ROLES = ("student", "instructor")
NBGRADER_EXTENSIONS = ["nbgrader.server_extensions.formgrader"]
LAB_PLUGINS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"]

MESSAGES = {
    "not_root": "Run this as root (sudo): it creates system users and folders.",
    "bad_user": "Roster {roster}, row {row}: '{name}' is not a usable user name (lower-case letters, digits, "
                "'-' and '_', starting with a letter, at most 32 characters).",
    "bad_role": "Roster {roster}, row {row}: role '{role}' is neither 'student' nor 'instructor'.",
    "no_id": "Roster {roster} has no 'student_id' column.",
    "restart": "Restart the hub to let the new users sign in: systemctl restart dpdlab-hub",
    "old_node": "node.js {found} is older than 10; install a newer nodejs.",
}


# -- settings --------------------------------------------------------------------------------------------
@dataclass
class Settings:
    """settings.toml, read. ``path`` is the file; its folder holds ``local_config.py`` if any."""

    path: Path
    data: dict

    @classmethod
    def read(cls, path: Path | None = None) -> "Settings":
        path = Path(path or DEFAULT_SETTINGS)
        return cls(path, tomllib.loads(path.read_text(encoding="utf-8")))

    def __getitem__(self, key: str) -> dict:
        return self.data[key]

    @property
    def course_id(self) -> str:
        return self["course"]["id"]

    @property
    def prefix(self) -> Path:
        return Path(self["paths"]["prefix"])

    @property
    def env(self) -> Path:
        return self.prefix / "env"

    @property
    def course_copy(self) -> Path:
        return self.prefix / "course"

    @property
    def proxy(self) -> Path:
        return self.prefix / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def grader_config(self) -> Path:
        """The grader's Jupyter configuration folder: the Formgrader on."""
        return self.prefix / "grader-jupyter"

    @property
    def state(self) -> Path:
        return Path(self["paths"]["state"])

    @property
    def cohorts(self) -> Path:
        return self.state / "cohorts"

    @property
    def course_dir(self) -> Path:
        return Path(self["course"]["directory"])

    @property
    def exchange(self) -> Path:
        return Path(self["course"]["exchange"])

    @property
    def grader(self) -> str:
        return self["course"]["grader"]

    @property
    def grader_home(self) -> Path:
        return Path(self["paths"]["home"]) / self.grader

    @property
    def instructors_group(self) -> str:
        """nbgrader finds the course of a grader service through a hub group of this name."""
        return f"formgrade-{self.course_id}"

    def course_environment(self) -> dict[str, str]:
        """What every server (students', the grader's) and `dpdlab grade` need to find the course."""
        return {"DPDLAB_DATA": str(self.course_copy / "data"), "DPDLAB_EXCHANGE": str(self.exchange),
                "PATH": os.pathsep.join([str(self.env / "bin"), "/usr/local/bin", "/usr/bin", "/bin"]),
                # fewer malloc arenas in the threaded server and kernels: less memory per student
                "MALLOC_ARENA_MAX": "2"}

    def grader_environment(self) -> dict[str, str]:
        return {**self.course_environment(), "DPDLAB_COURSE": str(self.course_dir), "HOME": str(self.grader_home),
                "USER": self.grader, "JUPYTER_CONFIG_DIR": str(self.grader_config),
                "LANG": "C.UTF-8"}


# -- rosters ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Member:
    """One row of a roster: a hub and system user name, a role, and the names nbgrader shows."""

    username: str
    role: str = "student"
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def read_roster(path: Path) -> list[Member]:
    """A roster CSV: ``student_id`` (the user name on the hub and the system), optional ``role``
    (student or instructor), ``first_name``, ``last_name``, ``email``. Stops at the first bad row."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    if rows and "student_id" not in rows[0]:
        raise ValueError(MESSAGES["no_id"].format(roster=path))
    members = []
    for number, row in enumerate(rows, start=2):
        name, role = row["student_id"], (row.get("role") or "student").lower()
        if not USERNAME.match(name):
            raise ValueError(MESSAGES["bad_user"].format(roster=path, row=number, name=name))
        if role not in ROLES:
            raise ValueError(MESSAGES["bad_role"].format(roster=path, row=number, role=role))
        members.append(Member(name, role, row.get("first_name", ""), row.get("last_name", ""), row.get("email", "")))
    return members


def all_members(settings: Settings) -> list[Member]:
    """Everyone in every cohort's roster kept on the hub (``<state>/cohorts/*.csv``)."""
    found: dict[str, Member] = {}
    for roster in sorted(settings.cohorts.glob("*.csv")) if settings.cohorts.is_dir() else []:
        for member in read_roster(roster):
            known = found.get(member.username)
            if known is None or known.role != "instructor":  # an instructor in one cohort stays one
                found[member.username] = member
    return list(found.values())


# -- what the hub configuration and the Kubernetes values share ------------------------------------------------
def instructors_role(settings: Settings) -> dict:
    """The role of the instructors' group: the grader service (the Formgrader), found through the hub's API."""
    service = settings.course_id
    return {"name": settings.instructors_group, "groups": [settings.instructors_group],
            "scopes": [f"access:services!service={service}", "list:services", f"read:services!service={service}"]}


def culler_arguments(settings: Settings) -> list[str]:
    """jupyterhub-idle-culler's options from ``[culler]``."""
    culler = settings["culler"]
    return [f"--timeout={culler['timeout']}", f"--cull-every={culler['every']}", f"--max-age={culler['max_age']}"]


CULLER_ROLE_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]
LTI13_AUTHENTICATOR = "ltiauthenticator.lti13.auth.LTI13Authenticator"


# -- helpers -----------------------------------------------------------------------------------------------
def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def as_user(user: str, cmd: list[str], env: dict[str, str], cwd: Path | None = None, check: bool = True,
            **kw) -> subprocess.CompletedProcess:
    """Run ``cmd`` as the system user ``user`` with exactly the environment ``env``."""
    switch = ["setpriv", f"--reuid={user}", f"--regid={pwd.getpwnam(user).pw_gid}", "--init-groups", "--"]
    full = [*switch, "env", "-i", *[f"{k}={v}" for k, v in env.items()], *map(str, cmd)]
    return subprocess.run(full, cwd=cwd, check=check, **kw)


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def make_user(name: str, home_root: Path, system: bool = False) -> None:
    """A system user with a private home (0700) and a group of its own; no password (it signs in through
    the hub's authenticator)."""
    home = home_root / name
    if not user_exists(name):
        cmd = ["useradd", "--create-home", "--home-dir", home, "--user-group", "--shell", "/bin/bash"]
        run([*cmd, *(["--system"] if system else []), name])
    home = Path(pwd.getpwnam(name).pw_dir)
    home.chmod(0o700)


def remove_user(name: str) -> None:
    if user_exists(name):
        run(["userdel", "--remove", name], stderr=subprocess.DEVNULL)
    try:
        grp.getgrnam(name)
        run(["groupdel", name], stderr=subprocess.DEVNULL)
    except (KeyError, subprocess.CalledProcessError):
        pass


def world_readable(path: Path) -> None:
    """Every folder traversable and every file readable by all (``chmod -R a+rX``), and the folders that
    lead to it traversable."""
    run(["chmod", "-R", "a+rX", path])
    for parent in path.parents:
        if parent == Path("/"):
            break
        mode = parent.stat().st_mode
        if not mode & 0o001:
            raise SystemExit(f"{parent} is not traversable by other users (mode {oct(mode & 0o777)}): the "
                             f"students' servers could not reach {path}. Choose another prefix.")


def copy_checkout(source: Path, target: Path) -> None:
    """The parts of a course checkout the hub runs from (no .git, no virtual environments, no build output)."""
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.pyc", ".ipynb_checkpoints", "build",
                                    "test-artifacts", "*.egg-info", "gradebook.db", "exchange")
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        item = source / name
        if item.is_dir():
            shutil.copytree(item, target / name, ignore=ignore, dirs_exist_ok=True)
        elif item.is_file():
            shutil.copy2(item, target / name)


def node_major() -> int | None:
    node = shutil.which("node")
    if not node:
        return None
    found = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip().lstrip("v")
    return int(found.split(".")[0]) if found else None


def proxy_version(major: int) -> str:
    for needed, version in PROXY_VERSIONS:
        if major >= needed:
            return version
    raise SystemExit(MESSAGES["old_node"].format(found=major))


# -- install -------------------------------------------------------------------------------------------------
def build_environment(settings: Settings, checkout: Path, python: str = "/usr/bin/python3") -> None:
    """The course's Python environment from the system Python, so that every user can run it: the
    course's pinned runtime (requirements.txt, with the course package itself) and the hub's
    (deploy/requirements.txt)."""
    env = settings.env
    requirements = [settings.course_copy / "requirements.txt", settings.course_copy / "deploy" / "requirements.txt"]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in [*requirements, settings.course_copy / "pyproject.toml"]))
    marker = env / ".dpdlab-requirements"
    if marker.exists() and marker.read_text() == digest.hexdigest():
        return  # built from these very requirements already
    if not (env / "bin" / "python").exists():
        run([python, "-m", "venv", env])
    pip = [env / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # requirements.txt installs the course package with `-e .`: relative to the folder pip runs in
    run([*pip, *[arg for path in requirements for arg in ("-r", path)]], cwd=settings.course_copy)
    marker.write_text(digest.hexdigest())


def configure_environment(settings: Settings) -> None:
    """Jupyter settings of the environment (its own etc/jupyter, never the system's /etc/jupyter): nbgrader's
    course and exchange for every user; the Formgrader and Create Assignment off for students and on in the
    grader's own configuration folder (``<prefix>/grader-jupyter``)."""
    etc = settings.env / "etc" / "jupyter"
    etc.mkdir(parents=True, exist_ok=True)
    (etc / "nbgrader_config.py").write_text(
        "# Written by deploy/dpdlab_hub.py: nbgrader's course and exchange for every user of this environment.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {settings.course_id!r}\n"
        f"c.Exchange.root = {str(settings.exchange)!r}\n"
        "c.Exchange.path_includes_course = True\n", encoding="utf-8")
    for folder, enabled in ((etc, False), (settings.grader_config, True)):
        # no language server on the hub: its server extension costs every student memory for no exercise's sake
        _merge_json(folder / "jupyter_server_config.json",
                    {"ServerApp": {"jpserver_extensions": {**{name: enabled for name in NBGRADER_EXTENSIONS},
                                                           "jupyter_lsp": False}}})
        _merge_json(folder / "labconfig" / "page_config.json",
                    {"disabledExtensions": {name: not enabled for name in LAB_PLUGINS}})


def _merge_json(path: Path, update: dict) -> None:
    """Write ``update`` (two levels deep) into the JSON file ``path``, keeping its other settings."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for section, values in update.items():
        target = data.setdefault(section, {})
        for key, value in values.items():
            if isinstance(value, dict):
                target.setdefault(key, {}).update(value)
            else:
                target[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o644)


def install_proxy(settings: Settings, proxy: Path | None) -> None:
    """configurable-http-proxy from npm into the prefix (never installed globally), or a link to ``proxy``."""
    target = settings.proxy
    if proxy:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        target.symlink_to(Path(proxy).resolve())
        return
    npm_install_proxy(settings.prefix / "proxy")


def npm_install_proxy(folder: Path) -> Path:
    """configurable-http-proxy from npm into ``folder`` (a version this node.js runs); returns the program."""
    major = node_major()
    if major is None:
        raise SystemExit("node.js is not installed: apt-get install -y nodejs npm")
    run(["npm", "install", "--no-fund", "--no-audit", "--loglevel=error", "--prefix", folder,
         f"configurable-http-proxy@{proxy_version(major)}"])
    return folder / "node_modules" / ".bin" / "configurable-http-proxy"


def prepare_course_directory(settings: Settings, checkout: Path) -> None:
    """The grader account, its home, the course directory (the grader's only: 0700) and the exchange."""
    make_user(settings.grader, Path(settings["paths"]["home"]), system=True)
    course = settings.course_dir
    course.mkdir(parents=True, exist_ok=True)
    sync_course(checkout / "grading", course, replace_sources=False)
    grader = pwd.getpwnam(settings.grader)
    run(["chown", "-R", f"{grader.pw_uid}:{grader.pw_gid}", course])
    course.chmod(0o700)
    # the grader's Jupyter configuration folder is its own (Jupyter writes a marker file into it)
    run(["chown", "-R", f"{grader.pw_uid}:{grader.pw_gid}", settings.grader_config])
    # every user writes into the exchange; the sticky bit keeps each one's folders their own
    settings.exchange.mkdir(parents=True, exist_ok=True)
    settings.exchange.chmod(0o1777)


def released_assignments(course: Path) -> set[str]:
    """Assignments students may already hold: released to ``release/`` or entered in the gradebook."""
    found = {p.name for p in (course / "release").iterdir() if p.is_dir()} if (course / "release").is_dir() else set()
    if (course / "gradebook.db").exists():
        with sqlite3.connect(f"file:{course / 'gradebook.db'}?mode=ro", uri=True) as db:
            found |= {row[0] for row in db.execute("SELECT name FROM assignment")}
    return found


def sync_course(grading: Path, course: Path, replace_sources: bool) -> list[str]:
    """Bring the course directory up to a checkout's ``grading/``: configuration, manifest, rubrics and
    analytics always; the sources of assignments not yet released (all with ``replace_sources``). Never
    touches the gradebook, submissions, grades or feedback. Returns what it did, one line each."""
    done = []
    for name in COURSE_FILES:
        if (grading / name).is_file():
            shutil.copy2(grading / name, course / name)
    for name in COURSE_FOLDERS:
        if (grading / name).is_dir():
            shutil.copytree(grading / name, course / name, dirs_exist_ok=True)
    kept = set() if replace_sources else released_assignments(course)
    for source in sorted((grading / "source").iterdir()):
        if not source.is_dir():
            continue
        target = course / "source" / source.name
        if source.name in kept and target.exists():
            done.append(f"kept the source of {source.name} (released this term; --replace-sources to update it)")
            continue
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        done.append(f"source of {source.name} updated")
    return done


def write_systemd_unit(settings: Settings) -> None:
    unit = Path("/etc/systemd/system/dpdlab-hub.service")
    unit.write_text(f"""[Unit]
Description=JupyterHub of the course {settings.course_id}
After=network.target

[Service]
User=root
Environment=DPDLAB_HUB_SETTINGS={settings.path}
Environment=PATH={settings.env / 'bin'}:/usr/local/bin:/usr/bin:/bin
WorkingDirectory={settings.state}
ExecStart={settings.env / 'bin' / 'jupyterhub'} -f {settings.course_copy / 'deploy' / 'jupyterhub_config.py'}
# the students' servers keep running while the hub restarts (c.JupyterHub.cleanup_servers = False)
KillMode=process
Restart=on-failure

[Install]
WantedBy=multi-user.target
""", encoding="utf-8")
    run(["systemctl", "daemon-reload"])
    run(["systemctl", "enable", "dpdlab-hub"])


def install(args) -> None:
    checkout = Path(args.checkout).resolve()
    if not args.no_apt:
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", *DEBIAN_PACKAGES])
    settings_source = Path(args.settings or checkout / "deploy" / "settings.toml")
    target = Path(args.config_dir) / "settings.toml"
    if not target.exists() or args.settings:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(settings_source, target)
    settings = Settings.read(target)
    settings.state.mkdir(parents=True, exist_ok=True)
    settings.state.chmod(0o700)
    settings.cohorts.mkdir(exist_ok=True)
    copy_checkout(checkout, settings.course_copy)
    build_environment(settings, checkout, python=args.python)
    install_proxy(settings, args.proxy)
    world_readable(settings.prefix)
    configure_environment(settings)
    prepare_course_directory(settings, checkout)
    if args.systemd and Path("/run/systemd/system").is_dir():
        write_systemd_unit(settings)
    print(f"Installed. Settings: {target}. Next: add a cohort (dpdlab-hub add-cohort roster.csv), then "
          "systemctl start dpdlab-hub (see deploy/README.md).")


# -- cohorts -------------------------------------------------------------------------------------------------
def add_cohort(args) -> None:
    settings = Settings.read(args.settings)
    members = read_roster(Path(args.roster))
    name = args.name or Path(args.roster).stem
    for member in members:
        make_user(member.username, Path(settings["paths"]["home"]))
    settings.cohorts.mkdir(parents=True, exist_ok=True)
    shutil.copy2(args.roster, settings.cohorts / f"{name}.csv")
    (settings.cohorts / f"{name}.csv").chmod(0o600)
    students = [m for m in members if m.role == "student"]
    if students:  # the gradebook's class list: missing submissions show up in exports and analytics
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "first_name", "last_name", "email"])
            for m in students:
                writer.writerow([m.username, m.first_name, m.last_name, m.email])
        os.chmod(handle.name, 0o644)
        try:
            as_user(settings.grader, [settings.env / "bin" / "nbgrader", "db", "student", "import", handle.name],
                    settings.grader_environment(), cwd=settings.course_dir, stdout=subprocess.DEVNULL)
        finally:
            os.unlink(handle.name)
    print(f"Cohort {name}: {len(students)} students, {len(members) - len(students)} instructors.")
    print(MESSAGES["restart"])


def remove_cohort(args) -> None:
    settings = Settings.read(args.settings)
    roster = settings.cohorts / f"{args.name}.csv"
    members = read_roster(roster)
    roster.unlink()
    if args.delete_users:
        for member in members:
            remove_user(member.username)
    print(f"Cohort {args.name} removed ({len(members)} users{', deleted' if args.delete_users else ''}).")
    print(MESSAGES["restart"])


# -- backup and upgrade ---------------------------------------------------------------------------------------
def sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (its backup API, not a file copy)."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def backup(settings: Settings, destination: Path) -> Path:
    """One tar.gz with the gradebook (a consistent copy), the course directory's work, the exchange, the
    hub's database and the rosters. Homes are not in it: back them up with the server's own backup."""
    destination.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    archive = destination / f"dpdlab-hub-{settings.course_id}-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as scratch:
        copies = Path(scratch)
        databases = {"gradebook.db": settings.course_dir / "gradebook.db",
                     "jupyterhub.sqlite": settings.state / "jupyterhub.sqlite"}
        for name, path in databases.items():
            if path.exists():
                sqlite_copy(path, copies / name)
        with tarfile.open(archive, "w:gz") as tar:
            for name in databases:
                if (copies / name).exists():
                    tar.add(copies / name, arcname=f"databases/{name}")
            for name in COURSE_STATE[1:]:
                if (settings.course_dir / name).exists():
                    tar.add(settings.course_dir / name, arcname=f"course/{name}")
            if settings.exchange.exists():
                tar.add(settings.exchange, arcname="exchange")
            if settings.cohorts.exists():
                tar.add(settings.cohorts, arcname="cohorts")
            tar.add(settings.path, arcname="settings.toml")
    archive.chmod(0o600)
    return archive


def backup_command(args) -> None:
    print(f"Backup written: {backup(Settings.read(args.settings), Path(args.destination))}")


def upgrade(args) -> None:
    """A new course version between terms: back up, copy the new checkout, update the environment, bring the
    course directory's configuration and not-yet-released sources up to date."""
    settings = Settings.read(args.settings)
    archive = backup(settings, Path(args.backup_dir))
    print(f"Backup written first: {archive}")
    checkout = Path(args.checkout).resolve()
    copy_checkout(checkout, settings.course_copy)
    if not args.keep_environment:
        build_environment(settings, checkout)
    world_readable(settings.prefix)
    configure_environment(settings)
    for line in sync_course(checkout / "grading", settings.course_dir, args.replace_sources):
        print(line)
    grader = pwd.getpwnam(settings.grader)
    run(["chown", "-R", f"{grader.pw_uid}:{grader.pw_gid}", settings.course_dir, settings.grader_config])
    print("Upgraded. Restart the hub: systemctl restart dpdlab-hub (the students' servers restart at their next "
          "start; submissions, grades and the exchange are as they were).")


# -- grading and removal ------------------------------------------------------------------------------------
def grade(args) -> int:
    """``dpdlab grade ARGS`` as the grader account: its sandbox holds without root (user namespaces)."""
    settings = Settings.read(args.settings)
    result = as_user(settings.grader, [settings.env / "bin" / "dpdlab", "grade", *args.grade_args],
                     settings.grader_environment(), cwd=settings.course_dir, check=False)
    return result.returncode


def uninstall(args) -> None:
    """Remove everything ``install`` and ``add-cohort`` made: users (with their homes), the grader, the
    course directory, the exchange, the prefix, the state and the settings. Irreversible."""
    if not args.yes:
        raise SystemExit("This deletes the course directory, the exchange, every cohort user and their homes. "
                         "Make a backup, then run again with --yes.")
    settings = Settings.read(args.settings)
    for member in all_members(settings):
        remove_user(member.username)
    remove_user(settings.grader)
    for path in (settings.course_dir, settings.exchange, settings.prefix, settings.state):
        shutil.rmtree(path, ignore_errors=True)
    settings.path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dpdlab-hub", description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", type=Path, default=None,
                        help=f"settings.toml of the hub (default {DEFAULT_SETTINGS})")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("install", help="install the hub and the course on this server")
    p.add_argument("--checkout", default=str(CHECKOUT), help="the course checkout to install (default: this one)")
    p.add_argument("--config-dir", default=str(DEFAULT_SETTINGS.parent), help="where settings.toml goes")
    p.add_argument("--python", default="/usr/bin/python3", help="the system Python the environment is made from")
    p.add_argument("--proxy", help="an installed configurable-http-proxy to use instead of installing it")
    p.add_argument("--no-apt", action="store_true", help="do not install Debian packages")
    p.add_argument("--systemd", action=argparse.BooleanOptionalAction, default=True,
                   help="write and enable the dpdlab-hub systemd unit (default: yes, where systemd runs)")
    p.set_defaults(func=install)
    p = sub.add_parser("install-proxy", help="install configurable-http-proxy from npm into a folder (CI)")
    p.add_argument("folder", type=Path)
    p.set_defaults(func=lambda args: print(npm_install_proxy(args.folder)))
    p = sub.add_parser("configure-environment", help="write the environment's Jupyter settings (image builds)")
    p.set_defaults(func=lambda args: configure_environment(Settings.read(args.settings)))
    p = sub.add_parser("add-cohort", help="add the students and instructors of a roster CSV")
    p.add_argument("roster")
    p.add_argument("--name", help="the cohort's name (default: the file's name)")
    p.set_defaults(func=add_cohort)
    p = sub.add_parser("remove-cohort", help="remove a cohort from the hub")
    p.add_argument("name")
    p.add_argument("--delete-users", action="store_true", help="also delete its system users and their homes")
    p.set_defaults(func=remove_cohort)
    p = sub.add_parser("backup", help="back up the gradebook, the course's work and the exchange")
    p.add_argument("destination")
    p.set_defaults(func=backup_command)
    p = sub.add_parser("upgrade", help="install a new version of the course between terms")
    p.add_argument("checkout")
    p.add_argument("--backup-dir", default="/var/backups/dpdlab-hub")
    p.add_argument("--replace-sources", action="store_true",
                   help="also replace the sources of assignments already released (regrade afterwards)")
    p.add_argument("--keep-environment", action="store_true", help="do not reinstall the Python environment")
    p.set_defaults(func=upgrade)
    p = sub.add_parser("grade", help="run `dpdlab grade ...` as the grader account")
    p.add_argument("grade_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=grade)
    p = sub.add_parser("uninstall", help="remove the hub, the course directory, the exchange and every cohort user")
    p.add_argument("--yes", action="store_true")
    p.set_defaults(func=uninstall)
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit(MESSAGES["not_root"])
    result = args.func(args)
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
