"""JupyterHub configuration of the course on one Linux server (see deploy/README.md).

Everything an academy changes is in settings.toml (``DPDLAB_HUB_SETTINGS``, default
/etc/dpdlab-hub/settings.toml); a ``local_config.py`` beside it, if present, is loaded last for anything
else. The hub runs as root: it starts each user's server as that user's own system account.

* Users: system accounts made by ``dpdlab-hub add-cohort`` from rosters (``<state>/cohorts/*.csv``), each
  spawned by ``LocalProcessSpawner``, so nbgrader sees each student's own user name; homes are 0700.
* Servers: ``jupyterhub-singleuser`` of the course's environment (built from the system Python in a
  world-readable prefix) with ``DPDLAB_DATA`` set, per-user rlimits, stopped by the idle culler.
* nbgrader: the exchange for students' Assignment List; a shared grader account runs the Formgrader as a
  hub service named after the course, reached by the instructors' group ``formgrade-<course id>``
  (nbgrader's own "one class, multiple graders" set-up).
"""
import os
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dpdlab_hub  # noqa: E402  (beside this file)
from jupyterhub.spawner import LocalProcessSpawner  # noqa: E402

c = get_config()  # noqa: F821 - given by JupyterHub when it loads this file
settings = dpdlab_hub.Settings.read(os.environ.get("DPDLAB_HUB_SETTINGS"))
hub, limits = settings["hub"], settings["limits"]
members = dpdlab_hub.all_members(settings)
instructors = sorted(m.username for m in members if m.role == "instructor")

# -- the hub and the proxy ----------------------------------------------------------------------------------
c.JupyterHub.bind_url = hub["bind_url"]
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{hub['hub_port']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{hub['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [str(settings.proxy)]
c.JupyterHub.db_url = f"sqlite:///{settings.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(settings.state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(settings.state / "jupyterhub.pid")
for key in ("ssl_cert", "ssl_key"):
    if hub.get(key):
        setattr(c.JupyterHub, key, hub[key])
# Students' servers keep running while the hub restarts (an upgrade, a new cohort): their work goes on.
c.JupyterHub.cleanup_servers = False

# -- who signs in --------------------------------------------------------------------------------------------
if hub["authenticator"] == "native":
    # accounts on the hub: a student signs up with the student id of the roster and a password of their own;
    # roster users (the allowed users below) are approved at sign-up, nobody else can sign in
    c.JupyterHub.authenticator_class = "native"
    c.NativeAuthenticator.open_signup = False
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.minimum_password_length = 10
elif hub["authenticator"] == "lti13":
    # launched from the academy's LMS (Moodle, Canvas); username_key names the claim holding the student id
    lti = settings["lti13"]
    c.JupyterHub.authenticator_class = dpdlab_hub.LTI13_AUTHENTICATOR
    for key in ("issuer", "authorize_url", "jwks_endpoint", "client_id", "username_key"):
        setattr(c.LTI13Authenticator, key, lti[key])
else:
    raise ValueError(f"settings.toml: hub.authenticator is '{hub['authenticator']}'; use 'native' or 'lti13'")
c.Authenticator.allowed_users = {m.username for m in members}
c.Authenticator.admin_users = set(hub.get("admin_users", []))


# -- the users' servers --------------------------------------------------------------------------------------
class LimitedLocalProcessSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with rlimits set on the server before it switches to the user; its kernels and
    terminals inherit them. RLIMIT_NPROC counts all the user's processes, so a fork bomb stops at the cap."""

    def make_preexec_fn(self, name):
        switch_user = super().make_preexec_fn(name)
        caps = [(resource.RLIMIT_NPROC, limits["max_processes"]),
                (resource.RLIMIT_DATA, limits["memory_mb"] * 2**20),
                (resource.RLIMIT_FSIZE, limits["max_file_mb"] * 2**20),
                (resource.RLIMIT_CORE, 0)]

        def preexec():
            for which, value in caps:
                resource.setrlimit(which, (value, value))
            switch_user()

        return preexec


c.JupyterHub.spawner_class = LimitedLocalProcessSpawner
c.Spawner.cmd = [str(settings.env / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = settings.course_environment()
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90

# -- nbgrader: the grader service and the instructors ---------------------------------------------------------
c.JupyterHub.load_groups = {settings.instructors_group: {"users": instructors}}
c.JupyterHub.services = [
    {
        # the Formgrader, as the shared grader account; its name is the course id (nbgrader finds it so)
        "name": settings.course_id,
        "url": f"http://127.0.0.1:{hub['grader_port']}",
        "command": [str(settings.env / "bin" / "jupyterhub-singleuser"), f"--ServerApp.root_dir={settings.course_dir}"],
        "user": settings.grader,
        "cwd": str(settings.course_dir),
        "environment": {**settings.grader_environment(), "JUPYTERHUB_DEFAULT_URL": "/formgrader"},
        "oauth_no_confirm": True,
        "display": True,
    },
    {
        "name": "idle-culler",
        "command": [str(settings.env / "bin" / "python"), "-m", "jupyterhub_idle_culler",
                    *dpdlab_hub.culler_arguments(settings)],
    },
]
c.JupyterHub.load_roles = [
    dpdlab_hub.instructors_role(settings),
    {"name": "idle-culler", "services": ["idle-culler"], "scopes": dpdlab_hub.CULLER_ROLE_SCOPES},
]

# -- anything else, for this server only ----------------------------------------------------------------------
local = settings.path.parent / "local_config.py"
if local.exists():
    load_subconfig(str(local))  # noqa: F821 - given by JupyterHub
