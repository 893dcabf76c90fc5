#!/usr/bin/env python3
"""Development environment of the Social CRM addons: one place for set-up and the make targets.

Everything here is idempotent: finished steps leave a stamp and are skipped on the next run,
and a step interrupted half-way (a partial Odoo copy, a cluster without its marker, a database
whose installation did not complete) is detected and redone.

Only the standard library is used, so the script runs with any Python 3.10-3.12 before the
virtualenv exists.

Layout (nothing of it is tracked by git):
  <repo>/.venv/                     virtualenv: Odoo's requirements and ours
  <repo>/.local/odoo.conf           generated Odoo configuration
  <cache>/odoo-18.0/                cached Odoo 18.0 source tree (<cache> = $XDG_CACHE_HOME/social-crm)
  <cache>/filestore/                Odoo data_dir (filestores of the local databases)
  private PostgreSQL cluster        $SOCIAL_CRM_PGDATA, or ~postgres/social-crm/<major> when run as
                                    root, or $XDG_DATA_HOME/social-crm/postgres otherwise
"""
import argparse
import hashlib
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# social_crm_reputation_survey brings Odoo's Surveys app along: survey answers are compared with
# the social reputation of the same customers.
ADDONS = ("social_crm", "social_crm_reputation", "social_crm_advocacy", "social_crm_reputation_survey",
          "social_crm_youtube")
# Bridges to heavier Odoo apps (auto_install with the app they bridge): installed, with those apps,
# into the test and demo databases only, so that Odoo's own suites and the benchmarks run without them.
# social_crm_queue (auto_install with queue_job, from PyPI) runs polls, after-work and imports as jobs.
BRIDGE_ADDONS = ("social_crm_shop_reviews", "social_crm_forum", "social_crm_queue")
TEST_PATHS = (*ADDONS, *BRIDGE_ADDONS, "tests")
# Benchmarks also measured with fewer addons installed: ingestion as social_crm alone does it, then
# with the sentiment scoring of social_crm_reputation, then with everything.
# The job queue's benchmarks need social_crm_queue (and queue_job) on top.
BENCH_ADDON_SETS = {"mention_ingest": [ADDONS[:1], ADDONS[:2], ADDONS], "queue": [(*ADDONS, "social_crm_queue")]}
ODOO_SERIES = "18.0"
ODOO_DOWNLOAD_URL = "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
ODOO_TREE_ITEMS = ("odoo", "odoo-bin", "setup.py", "setup.cfg", "requirements.txt", "MANIFEST.in", "setup")
# Odoo's requirements that we replace: psycopg2 and python-ldap compile against system headers;
# psycopg2-binary (pinned in requirements.txt) is the same driver as a wheel, LDAP is not used.
ODOO_REQUIREMENTS_SKIPPED = re.compile(r"^\s*(psycopg2|python-ldap)\b", re.IGNORECASE)

DEMO_DB = "social_crm_demo"
BENCH_DB = os.environ.get("SOCIAL_CRM_BENCH_DB", "social_crm_bench")
TEST_DB = os.environ.get("SOCIAL_CRM_TEST_DB", "social_crm_test")
CORE_TEST_DB = os.environ.get("SOCIAL_CRM_CORE_TEST_DB", "social_crm_core_test")
# Several checkouts may run their tests at once on one machine, each on its own database and port.
HTTP_PORT = int(os.environ.get("SOCIAL_CRM_HTTP_PORT", "8069"))
# "+365d" runs the test databases and the tests with the clock moved (libfaketime, on a cluster of their
# own): tests must not depend on the date they run. PostgreSQL keeps the real clock: its lock timeouts
# never fire under libfaketime, so its now() (records' create_date) is today's.
CLOCK_OFFSET = os.environ.get("SOCIAL_CRM_CLOCK_OFFSET", "")
LIBFAKETIME_GLOBS = ("/usr/lib/*/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1")
DB_USER = "odoo"  # superuser of the private cluster (Odoo refuses to run as "postgres")
PG_SOCKET_PORT = 5432  # only names the Unix socket file inside the cluster's own directory

VENV = REPO / ".venv"
LOCAL = REPO / ".local"
ODOO_CONF = LOCAL / (f"odoo-clock{CLOCK_OFFSET}.conf" if CLOCK_OFFSET else "odoo.conf")


class SetupError(Exception):
    """A problem the user must fix; printed as one clear message, without a traceback."""


def log(message):
    print(f"[social-crm] {message}", flush=True)


def run(cmd, **kwargs):
    kwargs.setdefault("check", True)
    return subprocess.run([str(c) for c in cmd], **kwargs)


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "social-crm"


def is_root():
    return os.geteuid() == 0


# --------------------------------------------------------------------------- Odoo source


def odoo_series_of(root):
    """Return the series ("18.0") of an Odoo source tree, or None if ``root`` is not one."""
    release = Path(root) / "odoo" / "release.py"
    if not release.is_file():
        return None
    match = re.search(r"^version_info\s*=\s*\((\d+),\s*(\d+)", release.read_text(), re.MULTILINE)
    return f"{match[1]}.{match[2]}" if match else None


def importable_odoo_root():
    """The tree of an ``odoo`` package of series 18.0 importable by this Python, if any."""
    probe = "import os, odoo.release as r; print(r.series); print(os.path.dirname(os.path.dirname(r.__file__)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd="/")
    if result.returncode != 0:
        return None
    series, root = result.stdout.split("\n")[:2]
    if series.strip() != ODOO_SERIES:
        log(f"ignoring the importable odoo of series {series.strip()} at {root}: {ODOO_SERIES} is needed")
        return None
    return Path(root)


def process_alive(pid):
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def git_head(git_dir):
    result = subprocess.run(["git", "--git-dir", str(git_dir), "rev-parse", "HEAD"],
                            capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def is_git_dir(path):
    path = Path(path)
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def cached_odoo():
    return cache_dir() / f"odoo-{ODOO_SERIES}"


def install_into_cache(fill, origin):
    """Fill a fresh directory with ``fill(tmp)``, check it is Odoo 18.0 and move it into the cache.

    The rename is the last step, so an interrupted copy never looks like a finished one.
    """
    target = cached_odoo()
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f"{target.name}.partial-*"):
        if not process_alive(leftover.name.rsplit("-", 1)[-1]):  # an interrupted run's, not a running one's
            shutil.rmtree(leftover, ignore_errors=True)
    tmp = target.parent / f"{target.name}.partial-{os.getpid()}"
    tmp.mkdir()
    try:
        fill(tmp)
        series = odoo_series_of(tmp)
        if series != ODOO_SERIES:
            raise SetupError(f"{origin} is not an Odoo {ODOO_SERIES} source tree (found series {series}).")
        (tmp / ".social-crm-origin").write_text(origin)
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def odoo_from_env(src):
    src = Path(src).expanduser().resolve()
    if is_git_dir(src) or ((src / ".git").exists() and not (src / "odoo" / "release.py").is_file()):
        git_dir = src if is_git_dir(src) else src / ".git"
        head = git_head(git_dir)
        if not head:
            raise SetupError(f"ODOO_SRC={src} is a git directory without a HEAD commit.")
        origin = f"git:{git_dir}@{head}"
        if stamp_of(cached_odoo()) == origin and is_complete_tree(cached_odoo()):
            return cached_odoo()
        log(f"extracting Odoo from {git_dir} ({head[:10]}) into {cached_odoo()}")

        def fill(tmp):
            archive = subprocess.Popen(["git", "--git-dir", str(git_dir), "archive", "HEAD", *ODOO_TREE_ITEMS],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            run(["tar", "-x", "-C", tmp], stdin=archive.stdout)
            archive.stdout.close()
            if archive.wait() != 0:
                raise SetupError(f"git archive failed on {git_dir}: {archive.stderr.read().decode()}")

        return install_into_cache(fill, origin)
    if (src / "odoo" / "release.py").is_file():
        origin = f"tree:{src}@{(src / 'odoo' / 'release.py').stat().st_mtime_ns}"
        if stamp_of(cached_odoo()) == origin and is_complete_tree(cached_odoo()):
            return cached_odoo()
        log(f"copying the Odoo source tree {src} into {cached_odoo()}")

        def fill(tmp):
            for item in ODOO_TREE_ITEMS:
                if (src / item).exists():
                    run(["cp", "-a", src / item, tmp / item])

        return install_into_cache(fill, origin)
    raise SetupError(
        f"ODOO_SRC={src} is neither an Odoo source tree (no odoo/release.py) nor a git directory.")


def is_complete_tree(tree):
    """An Odoo 18.0 tree that a finished set-up cached (the origin stamp is written last)."""
    tree = Path(tree)
    return (odoo_series_of(tree) == ODOO_SERIES and (tree / "odoo-bin").is_file()
            and (tree / "requirements.txt").is_file() and stamp_of(tree) is not None)


def stamp_of(tree):
    origin = Path(tree) / ".social-crm-origin"
    return origin.read_text() if origin.is_file() else None


def odoo_from_download():
    log(f"downloading the Odoo {ODOO_SERIES} source from {ODOO_DOWNLOAD_URL}")

    def fill(tmp):
        archive = tmp / "odoo.tar.gz"
        with urllib.request.urlopen(ODOO_DOWNLOAD_URL, timeout=30) as answer, archive.open("wb") as out:
            shutil.copyfileobj(answer, out)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp / "x", filter="data")
        (top,) = (tmp / "x").iterdir()
        for item in ODOO_TREE_ITEMS:
            if (top / item).exists():
                (top / item).rename(tmp / item)
        shutil.rmtree(tmp / "x")
        archive.unlink()

    return install_into_cache(fill, f"download:{ODOO_DOWNLOAD_URL}")


def find_odoo():
    """Locate Odoo 18.0: importable package, ODOO_SRC, earlier cached copy, official download."""
    root = importable_odoo_root()
    if root:
        return root
    if os.environ.get("ODOO_SRC"):
        return odoo_from_env(os.environ["ODOO_SRC"])
    if is_complete_tree(cached_odoo()):
        return cached_odoo()
    try:
        return odoo_from_download()
    except (OSError, tarfile.TarError, ValueError) as exc:
        raise SetupError(
            f"Odoo {ODOO_SERIES} was not found, and downloading it failed ({exc}).\n"
            f"Point ODOO_SRC at an Odoo {ODOO_SERIES} source tree (the folder holding odoo-bin) or at a\n"
            "git directory of one, and run the command again; the set-up caches a copy for later runs:\n"
            f"    ODOO_SRC=/path/to/odoo-{ODOO_SERIES} make test\n"
            f"(Other ways: make the 'odoo' {ODOO_SERIES} package importable by {sys.executable}, or give\n"
            f"this machine internet access for {ODOO_DOWNLOAD_URL}.)") from None


# --------------------------------------------------------------------------- virtualenv


def venv_python():
    return VENV / "bin" / "python"


def ensure_venv(odoo_root):
    odoo_requirements = [
        line for line in (odoo_root / "requirements.txt").read_text().splitlines()
        if not ODOO_REQUIREMENTS_SKIPPED.match(line)
    ]
    ours = (REPO / "requirements.txt").read_text()
    constraints = REPO / "requirements" / "build-constraints.txt"
    digest = hashlib.sha256("\n".join(
        [sys.version, str(odoo_root), ours, constraints.read_text(), *odoo_requirements]).encode()).hexdigest()
    stamp = VENV / ".social-crm-stamp"
    if stamp.is_file() and stamp.read_text() == digest and venv_works():
        return
    if not venv_works():
        log(f"creating the virtualenv {VENV}")
        shutil.rmtree(VENV, ignore_errors=True)
        run([sys.executable, "-m", "venv", VENV])
    stamp.unlink(missing_ok=True)
    odoo_req_file = VENV / "odoo-requirements.txt"
    odoo_req_file.write_text("\n".join(odoo_requirements) + "\n")
    log("installing Odoo's requirements and ours into the virtualenv (about a minute the first time)")
    env = dict(os.environ, PIP_CONSTRAINT=str(constraints), PIP_DISABLE_PIP_VERSION_CHECK="1")
    pip_log = VENV / "pip-install.log"
    with pip_log.open("w") as out:
        result = run([venv_python(), "-m", "pip", "install", "-r", odoo_req_file, "-r", REPO / "requirements.txt"],
                     env=env, check=False, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        tail = "".join(pip_log.read_text().splitlines(True)[-20:])
        raise SetupError(f"pip could not install the requirements (full log: {pip_log}):\n{tail}")
    site = Path(run([venv_python(), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    capture_output=True, text=True).stdout.strip())
    (site / "odoo-source.pth").write_text(f"{odoo_root}\n")
    stamp.write_text(digest)


QUEUE_JOB_REQUIREMENTS = REPO / "requirements" / "queue_job.txt"


def venv_site_packages():
    return next(iter(sorted(VENV.glob("lib/python3*/site-packages"))), VENV / "lib" / "site-packages")


def ensure_queue_job():
    """OCA's queue_job, installed from PyPI without its dependencies (its ``odoo`` requirement is the
    source tree; ``requests`` comes with Odoo's requirements); skipped when the pinned release is there."""
    pins = [line.split("#")[0].strip() for line in QUEUE_JOB_REQUIREMENTS.read_text().splitlines()]
    pins = [pin for pin in pins if pin]
    site = venv_site_packages()
    wanted = [f"{name.replace('-', '_')}-{version}.dist-info" for name, version in (pin.split("==") for pin in pins)]
    if all((site / name).is_dir() for name in wanted):
        return
    log(f"installing {', '.join(pins)} (without dependencies)")
    result = run([venv_python(), "-m", "pip", "install", "-q", "--no-deps", "-r", QUEUE_JOB_REQUIREMENTS],
                 env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"), check=False)
    if result.returncode != 0:
        raise SetupError(f"pip could not install {', '.join(pins)} (see above)")


def venv_works():
    return venv_python().is_file() and subprocess.run(
        [venv_python(), "-c", "pass"], capture_output=True).returncode == 0


# --------------------------------------------------------------------------- PostgreSQL


def external_server():
    return any(os.environ.get(var) for var in ("PGHOST", "PGPORT"))


def pg_binary(name):
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if candidates:
        return str(candidates[0])
    raise SetupError(
        f"The PostgreSQL server program '{name}' was not found.\n"
        "Install the PostgreSQL server (13 or newer; on Debian/Ubuntu: apt-get install postgresql),\n"
        "or use a running server by setting PGHOST, PGPORT, PGUSER and PGPASSWORD.")


def pg_major():
    out = run([pg_binary("postgres"), "--version"], capture_output=True, text=True).stdout
    return re.search(r"(\d+)", out)[1]


def cluster_dir():
    if CLOCK_OFFSET:
        return default_cluster_dir().with_name(f"{default_cluster_dir().name}-clock{CLOCK_OFFSET}")
    return default_cluster_dir()


def default_cluster_dir():
    if os.environ.get("SOCIAL_CRM_PGDATA"):
        return Path(os.environ["SOCIAL_CRM_PGDATA"])
    if is_root():
        return Path(pwd.getpwnam("postgres").pw_dir) / "social-crm" / pg_major()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "social-crm" / f"postgres-{pg_major()}"


def as_cluster_owner(cmd):
    """PostgreSQL refuses to run as root: run cluster commands as the 'postgres' user then."""
    if is_root():
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def ensure_private_cluster():
    """Create (once) and start the project's own cluster; answer its connection parameters."""
    if is_root():
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise SetupError(
                "Running as root, the private PostgreSQL cluster needs the system user 'postgres'.\n"
                "Create it (useradd --system --create-home --home-dir /var/lib/postgresql postgres),\n"
                "run as a normal user, or use a server by setting PGHOST/PGPORT/PGUSER/PGPASSWORD.") from None
    root = cluster_dir()
    data, sockets = root / "data", root / "run"
    done = root / ".social-crm-initialised"
    if not done.is_file():
        log(f"creating the private PostgreSQL cluster in {root}")
        if root.exists():
            shutil.rmtree(root)  # a half-created cluster: start again
        root.mkdir(parents=True)
        if is_root():
            shutil.chown(root, "postgres", "postgres")
            shutil.chown(root.parent, "postgres", "postgres")
        run(as_cluster_owner([pg_binary("initdb"), "--pgdata", data, "--username", DB_USER,
                              "--auth", "trust", "--encoding", "UTF8", "--locale", "C"]),
            stdout=subprocess.DEVNULL)
        run(as_cluster_owner(["mkdir", "-p", sockets]))
        done.write_text("ok\n")
    status = subprocess.run(as_cluster_owner([pg_binary("pg_ctl"), "status", "--pgdata", data]),
                            capture_output=True)
    if status.returncode != 0:
        log("starting the private PostgreSQL cluster")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{sockets}' -c port={PG_SOCKET_PORT} "
                   "-c synchronous_commit=off -c max_connections=100")
        started = subprocess.run(as_cluster_owner(
            [pg_binary("pg_ctl"), "start", "--pgdata", data, "--wait", "--timeout", "60",
             "--log", root / "postgresql.log", "-o", options]), capture_output=True, text=True)
        if started.returncode != 0:
            tail = "".join((root / "postgresql.log").read_text().splitlines(True)[-15:]) \
                if (root / "postgresql.log").exists() else started.stderr
            raise SetupError(f"The private PostgreSQL cluster in {root} did not start:\n{tail}")
    return {"db_host": str(sockets), "db_port": str(PG_SOCKET_PORT), "db_user": DB_USER, "db_password": "False"}


def external_connection():
    return {
        "db_host": os.environ.get("PGHOST", "False"),
        "db_port": os.environ.get("PGPORT", "False"),
        "db_user": os.environ.get("PGUSER") or pwd.getpwuid(os.getuid()).pw_name,
        "db_password": os.environ.get("PGPASSWORD", "False"),
    }


def check_connection(conn):
    probe = (
        "import sys, psycopg2\n"
        "kw = {k: v for k, v in dict(host=sys.argv[1], port=sys.argv[2], user=sys.argv[3],"
        " password=sys.argv[4]).items() if v != 'False'}\n"
        "psycopg2.connect(dbname='postgres', connect_timeout=10, **kw).close()\n")
    result = subprocess.run([venv_python(), "-c", probe, conn["db_host"], conn["db_port"], conn["db_user"],
                             conn["db_password"]], capture_output=True, text=True)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
        where = "given by PGHOST/PGPORT" if external_server() else "of the private cluster"
        raise SetupError(
            f"PostgreSQL {where} (host {conn['db_host']}, port {conn['db_port']}, user {conn['db_user']})"
            f" cannot be reached:\n  {reason}\n"
            "Start that server or fix the PG* variables; unset PGHOST and PGPORT to let the set-up run\n"
            "its own private cluster.")


# --------------------------------------------------------------------------- browser


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


# what the tests need from the system: executables (any of) -> (Debian package, what needs it)
SYSTEM_TOOLS = {
    BROWSERS: ("chromium", "the browser tests (Odoo's tours)"),
    ("wkhtmltopdf",): ("wkhtmltopdf", "the PDF reports"),
}


def clock_env():
    """The environment that moves a process's clock by CLOCK_OFFSET (empty when the clock is real)."""
    if not CLOCK_OFFSET:
        return {}
    library = next((path for pattern in LIBFAKETIME_GLOBS for path in sorted(Path("/").glob(pattern[1:]))), None)
    if library is None:
        raise SetupError("SOCIAL_CRM_CLOCK_OFFSET needs libfaketime (Debian/Ubuntu: apt-get install faketime).")
    # Monotonic clocks move too: with them left real, libfaketime 0.9.10 makes Python's sleep() fail (EINVAL).
    return {"LD_PRELOAD": str(library), "FAKETIME": CLOCK_OFFSET, "FAKETIME_DONT_RESET": "1",
            "PATH": f"{real_clock_browsers()}{os.pathsep}{os.environ.get('PATH', os.defpath)}"}


def real_clock_browsers():
    """A folder of browser commands that run on the real clock, first on the tests' PATH: Chromium does
    not start under libfaketime, and the browser is the user's machine anyway."""
    folder = LOCAL / "real-clock-bin"
    folder.mkdir(parents=True, exist_ok=True)
    for name in BROWSERS:
        browser = shutil.which(name)
        if browser and not browser.startswith(str(folder)):
            wrapper = folder / name
            wrapper.write_text(f"#!/bin/sh\nunset LD_PRELOAD FAKETIME FAKETIME_DONT_RESET\nexec {browser} \"$@\"\n")
            wrapper.chmod(0o755)
    return folder


def ensure_system_tools(tools=None):
    """Chromium for the browser tours and wkhtmltopdf for the PDF reports: install Debian's
    packages when we may, else say exactly what to install."""
    missing = [(package, purpose) for names, (package, purpose) in (tools or SYSTEM_TOOLS).items()
               if not any(shutil.which(name) for name in names)]
    if not missing:
        return
    packages = [package for package, _purpose in missing]
    if not (is_root() and shutil.which("apt-get")):
        raise SetupError("\n".join(f"{purpose} need {package}." for package, purpose in missing) +
                         f"\nInstall it (Debian/Ubuntu: sudo apt-get install {' '.join(packages)})"
                         " and run the command again.")
    log(f"installing {', '.join(packages)} for the tests (apt-get install, a minute or two)")
    apt_log = cache_dir() / "apt-system-tools.log"
    apt_log.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    with apt_log.open("w") as out:
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
            if run(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, check=False).returncode != 0:
                raise SetupError(f"Installing {', '.join(packages)} failed (see {apt_log}); "
                                 "install it by hand and run again.")


# --------------------------------------------------------------------------- configuration


def write_config(odoo_root, conn):
    LOCAL.mkdir(exist_ok=True)
    data_dir = cache_dir() / "filestore"
    data_dir.mkdir(parents=True, exist_ok=True)
    addons_path = addons_path_of(odoo_root)
    text = "\n".join([
        "; Generated by tools/devenv.py: edit that script, not this file.",
        "[options]",
        f"addons_path = {addons_path}",
        f"data_dir = {data_dir}",
        *(f"{key} = {value}" for key, value in conn.items()),
        "admin_passwd = admin",
        f"http_port = {HTTP_PORT}",
        "without_demo = False",
        "max_cron_threads = 1",
        "",
    ])
    if not ODOO_CONF.is_file() or ODOO_CONF.read_text() != text:
        ODOO_CONF.write_text(text)


def setup():
    """Prepare everything the other commands need; answer the Odoo source root."""
    started = time.monotonic()
    odoo_root = find_odoo()
    ensure_venv(odoo_root)
    ensure_queue_job()
    if CLOCK_OFFSET:
        if not re.fullmatch(r"[+-]\d+[smhdy]", CLOCK_OFFSET):
            raise SetupError(f"SOCIAL_CRM_CLOCK_OFFSET={CLOCK_OFFSET!r}: write it as libfaketime does, e.g. +365d.")
        ensure_system_tools({("faketime",): ("faketime", "the tests with the clock moved")})
    conn = external_connection() if external_server() else ensure_private_cluster()
    check_connection(conn)
    write_config(odoo_root, conn)
    log(f"environment ready in {time.monotonic() - started:.0f}s (Odoo {odoo_root}, config {ODOO_CONF})")
    return odoo_root


# --------------------------------------------------------------------------- databases


def addons_path_of(odoo_root):
    """Odoo's addons, ours, and those installed from PyPI (queue_job: the wheels put them in
    ``site-packages/odoo/addons``), which a database has only when one of ours depends on them."""
    paths = [odoo_root / "odoo" / "addons", REPO]
    pypi_addons = venv_site_packages() / "odoo" / "addons"
    if pypi_addons.is_dir():
        paths.append(pypi_addons)
    return ",".join(map(str, paths))


def odoo_cmd(odoo_root, *args):
    """odoo-bin with our configuration; a subcommand (``shell``, ``social-stream``, …) must come first,
    after ``--addons-path=…``: odoo-bin looks for the commands of addons only when that is its very
    first argument."""
    command = [args[0]] if args and not str(args[0]).startswith("-") else []
    addons = [f"--addons-path={addons_path_of(odoo_root)}"] if command else []
    return [venv_python(), odoo_root / "odoo-bin", *addons, *command, "--config", ODOO_CONF, *args[len(command):]]


def sql(query, dbname="postgres", params=()):
    """Run one query through the venv's psycopg2 with the configured connection; answer rows."""
    script = (
        "import json, sys, configparser, psycopg2\n"
        "c = configparser.ConfigParser(); c.read(sys.argv[1]); o = c['options']\n"
        "kw = {k: o[f'db_{k}'] for k in ('host', 'port', 'user', 'password') if o.get(f'db_{k}', 'False') != 'False'}\n"
        "cn = psycopg2.connect(dbname=sys.argv[2], **kw); cn.autocommit = True; cr = cn.cursor()\n"
        "cr.execute(sys.argv[3], json.loads(sys.argv[4]))\n"
        "print(json.dumps(cr.fetchall() if cr.description else []))\n")
    import json
    out = run([venv_python(), "-c", script, ODOO_CONF, dbname, query, json.dumps(list(params))],
              capture_output=True, text=True).stdout
    return json.loads(out)


def database_exists(name):
    return bool(sql("SELECT 1 FROM pg_database WHERE datname = %s", params=[name]))


def drop_database(name):
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise SetupError(f"Invalid database name {name!r}: use letters, digits, '_' and '-'.")
    if database_exists(name):
        log(f"dropping database {name}")
        sql(f'DROP DATABASE "{name}" WITH (FORCE)')


def installed_addons(name, modules=ADDONS):
    """Which of ``modules`` (our addons by default) are installed in the database ``name``."""
    if not database_exists(name):
        return set()
    try:
        rows = sql("SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
                   dbname=name, params=[list(modules)])
    except subprocess.CalledProcessError:
        return set()  # not an Odoo database (yet)
    return {row[0] for row in rows}


def addons_digest():
    digest = hashlib.sha256()
    for addon in (*ADDONS, *BRIDGE_ADDONS):
        for path in sorted((REPO / addon).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and "tests" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


DIGEST_KEY = "social_crm.dev_addons_digest"


def create_database(odoo_root, name, odoo_args=(), addons=ADDONS):
    """Create ``name`` with our addons (and demo data) installed; it is new or it is not made."""
    drop_database(name)
    modules = ",".join(addons)
    log(f"creating database {name} with {modules}")
    started = time.monotonic()
    result = run(odoo_cmd(odoo_root, "--database", name, "--init", modules, "--stop-after-init",
                          "--log-level", "warn", *odoo_args), check=False)
    if result.returncode != 0 or installed_addons(name, addons) != set(addons):
        drop_database(name)  # never leave a half-installed database behind
        raise SetupError(f"Installing the addons into {name} failed (see Odoo's log above).")
    remember_digest(name)
    log(f"database {name} ready in {time.monotonic() - started:.0f}s")


def remember_digest(name):
    sql("INSERT INTO ir_config_parameter (key, value, create_date, write_date) VALUES (%s, %s, now(), now())"
        " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", dbname=name, params=[DIGEST_KEY, addons_digest()])


def ensure_database(odoo_root, name, odoo_args=(), addons=ADDONS):
    """Reuse ``name`` when it holds our addons (``addons`` only); update them when their source changed since.

    Those of ``addons`` missing from a database made before they existed are installed into it, after
    the update of the others (whose migrations may install them already): a demo database keeps what
    was done in it. A database with none of them, or with others, is made again."""
    installed = installed_addons(name, addons)
    if not installed or not installed <= set(addons):
        create_database(odoo_root, name, odoo_args=odoo_args, addons=addons)
        return
    stored = sql("SELECT value FROM ir_config_parameter WHERE key = %s", dbname=name, params=[DIGEST_KEY])
    changed = not stored or stored[0][0] != addons_digest()
    if changed:
        log(f"the addons changed since {name} was last updated: updating them")
        result = run(odoo_cmd(odoo_root, "--database", name, "--update", ",".join(addons),
                              "--stop-after-init", "--log-level", "warn"), check=False)
        if result.returncode != 0:
            raise SetupError(f"Updating the addons in {name} failed (see Odoo's log above).")
    missing = set(addons) - installed_addons(name, addons)
    if missing:
        log(f"installing {', '.join(sorted(missing))} into {name}")
        result = run(odoo_cmd(odoo_root, "--database", name, "--init", ",".join(sorted(missing)),
                              "--stop-after-init", "--log-level", "warn", *odoo_args), check=False)
        if result.returncode != 0 or installed_addons(name, missing) != missing:
            raise SetupError(f"Installing {', '.join(sorted(missing))} into {name} failed (see Odoo's log above).")
    if changed or missing:
        remember_digest(name)


# --------------------------------------------------------------------------- commands


def cmd_setup(_args):
    setup()


# The job runner of `make run`: 4 jobs at once, of which up to 4 polls (they wait on the networks) and
# 2 after-works and 1 import (they use the database).
RUN_JOB_CHANNELS = "root:4,root.social.poll:4,root.social.ingest:2,root.social.import:1"


def cmd_run(args):
    odoo_root = setup()
    ensure_database(odoo_root, DEMO_DB, addons=(*ADDONS, *BRIDGE_ADDONS))
    log(f"serving Odoo on http://localhost:{args.port} (login admin / admin) with the job runner of "
        f"queue_job ({RUN_JOB_CHANNELS}), the live sources streaming beside it; Ctrl-C stops both")
    # The threaded server runs the job runner as a thread, which hands the jobs to this server's port.
    server_env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=RUN_JOB_CHANNELS)
    processes = [subprocess.Popen([str(c) for c in odoo_cmd(odoo_root, *command)], env=env) for command, env in (
        (("--database", DEMO_DB, "--db-filter", f"^{DEMO_DB}$", "--http-port", str(args.port),
          "--load", "base,web,queue_job"), server_env),
        (("social-stream", "--database", DEMO_DB), None))]
    try:
        processes[0].wait()
    except KeyboardInterrupt:
        log("stopping the server and the stream")  # the terminal sent SIGINT to both
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def pytest_cmd(args):
    return [VENV / "bin" / "pytest", "--odoo-config", ODOO_CONF, "--odoo-database", TEST_DB, "--odoo-http",
            *(args or TEST_PATHS)]


def cmd_test(args):
    """Fresh test database, then every test through pytest-odoo; 'no test ran' is a failure."""
    odoo_root = setup()
    ensure_system_tools()
    if CLOCK_OFFSET:
        log(f"the test database and the tests run with the clock moved by {CLOCK_OFFSET}")
        os.environ.update(clock_env())  # every process from here on: odoo-bin, pytest, the browser
    if args.reuse_db:
        ensure_database(odoo_root, TEST_DB, addons=(*ADDONS, *BRIDGE_ADDONS))
    else:
        create_database(odoo_root, TEST_DB, addons=(*ADDONS, *BRIDGE_ADDONS))
    result = subprocess.run([str(c) for c in pytest_cmd(args.pytest_args)], cwd=REPO)
    if result.returncode == 5:
        raise SetupError("pytest collected no test: that is a failure, not a success.")
    sys.exit(result.returncode)


def cmd_check_odoo_core(_args):
    """Odoo's own crm and sale suites on a fresh database where our addons are installed too."""
    odoo_root = setup()
    ensure_system_tools()
    drop_database(CORE_TEST_DB)
    log_file = LOCAL / "check-odoo-core.log"
    log(f"running Odoo's crm and sale tests with our addons installed (log: {log_file})")
    started = time.monotonic()
    with log_file.open("w") as out:
        proc = subprocess.Popen([str(c) for c in odoo_cmd(
            odoo_root, "--database", CORE_TEST_DB, "--init", ",".join(["sale_management", *ADDONS]),
            "--test-enable", "--test-tags", "/crm,/sale", "--stop-after-init", "--log-level", "test")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in proc.stdout:
            out.write(line)
            if re.search(r" (ERROR|CRITICAL) |FAIL:|odoo\.tests\.result|Ran \d+ tests", line):
                sys.stdout.write(line)
        returncode = proc.wait()
    text = log_file.read_text()
    summary = re.findall(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests", text)
    elapsed = time.monotonic() - started
    if not summary:
        raise SetupError(f"Odoo ran no test summary (exit {returncode}); see {log_file}.")
    failed, errors, total = map(int, summary[-1])
    installed = installed_addons(CORE_TEST_DB) == set(ADDONS)
    log(f"Odoo crm + sale suites: {total} tests, {failed} failed, {errors} errors, in {elapsed / 60:.1f} min")
    print(f"check-odoo-core: {total - failed - errors} passed, {failed + errors} failed", flush=True)
    if returncode != 0 or failed or errors or not installed or total == 0:
        sys.exit(1)
    drop_database(CORE_TEST_DB)


def cmd_bench(args):
    """Each bench/bench_*.py (or the ones named) on databases without demo data: the one with the
    three addons, and for the benchmarks of BENCH_ADDON_SETS also one per smaller set of addons."""
    odoo_root = setup()
    names = args.names or sorted(path.stem.removeprefix("bench_") for path in (REPO / "bench").glob("bench_*.py"))
    failed = False
    for name in names:
        for addons in BENCH_ADDON_SETS.get(name, [ADDONS]):
            database = BENCH_DB if addons == ADDONS else f"{BENCH_DB}_{addons[-1]}"
            ensure_database(odoo_root, database, odoo_args=["--without-demo", "all"], addons=addons)
            log(f"benchmark bench_{name}.py with {', '.join(addons)} (database {database})")
            extra = (["--sizes", args.sizes] if args.sizes else []) + args.bench_args
            result = subprocess.run([str(venv_python()), str(REPO / "bench" / f"bench_{name}.py"),
                                     "--config", str(ODOO_CONF), "--database", database, *extra], cwd=REPO / "bench")
            failed |= result.returncode != 0
    sys.exit(1 if failed else 0)


def addon_dirs():
    """The repository's addons: each top-level folder with a manifest."""
    return sorted(path.parent.name for path in REPO.glob("*/__manifest__.py"))


def ensure_lint_tools():
    """The linters of requirements/lint.txt in the virtualenv, installed when that file changed."""
    requirements = REPO / "requirements" / "lint.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    stamp = VENV / ".social-crm-lint-stamp"
    if stamp.is_file() and stamp.read_text() == digest:
        return
    log("installing the linters into the virtualenv")
    result = run([venv_python(), "-m", "pip", "install", "-q", "-r", requirements], check=False,
                 env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"))
    if result.returncode != 0:
        raise SetupError(f"pip could not install the linters of {requirements}")
    stamp.write_text(digest)


def cmd_lint(args):
    """Ruff, then pylint-odoo with the checks OCA makes mandatory; fails on any finding."""
    ensure_venv(find_odoo())
    ensure_lint_tools()
    bin_dir = Path(venv_python()).parent
    failed = False
    log("ruff check")
    failed |= run([bin_dir / "ruff", "check", "--no-fix", *args.paths], cwd=REPO, check=False).returncode != 0
    log("pylint-odoo (" + ", ".join(addon_dirs()) + ")")
    failed |= run([bin_dir / "pylint", "--rcfile", REPO / ".pylintrc-mandatory", "--jobs", "0",
                   *(args.paths or addon_dirs())], cwd=REPO, check=False).returncode != 0
    log("oca-checks-odoo-module (XML, CSV and manifests)")
    failed |= run([bin_dir / "oca-checks-odoo-module", *addon_dirs()], cwd=REPO, check=False).returncode != 0
    po_files = sorted(str(path.relative_to(REPO)) for path in REPO.glob("*/i18n/*.po*"))
    if po_files:
        log("oca-checks-po (translations)")
        failed |= run([bin_dir / "oca-checks-po", *po_files], cwd=REPO, check=False).returncode != 0
    log("README.rst of each addon up to date with its readme/ fragments")
    failed |= run([venv_python(), REPO / "tools" / "addon_readme.py", "--check"], check=False).returncode != 0
    if failed:
        print("\nsocial-crm: lint found problems (above)", file=sys.stderr)
        sys.exit(1)
    log("lint clean")


def cmd_odoo(args):
    odoo_root = setup()
    os.execv(venv_python(), [str(c) for c in odoo_cmd(odoo_root, *args.odoo_args)])


def cmd_pytest(args):
    """pytest-odoo on the existing test database (created or updated when needed): the quick loop."""
    args.reuse_db = True
    cmd_test(args)


def pass_through_args(argv):
    """``odoo``, ``test`` and ``pytest`` hand their arguments to odoo-bin or pytest untouched
    (argparse would take ``-d`` or ``-k`` for options of its own)."""
    if not argv or argv[0] not in ("odoo", "test", "pytest"):
        return None
    command, rest = argv[0], argv[1:]
    if command == "odoo":
        return argparse.Namespace(func=cmd_odoo, odoo_args=rest)
    reuse_db = command == "pytest" or "--reuse-db" in rest
    return argparse.Namespace(func=cmd_test, reuse_db=reuse_db,
                              pytest_args=[arg for arg in rest if arg != "--reuse-db"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="prepare virtualenv, Odoo, PostgreSQL and configuration").set_defaults(
        func=cmd_setup)
    p_run = sub.add_parser("run", help="serve Odoo on the demo database (created the first time)")
    p_run.add_argument("--port", type=int, default=8069)
    p_run.set_defaults(func=cmd_run)
    p_test = sub.add_parser("test", help="fresh test database, then every test (pytest-odoo)")
    p_test.add_argument("--reuse-db", action="store_true", help="keep the existing test database")
    p_test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    p_test.set_defaults(func=cmd_test)
    p_pytest = sub.add_parser("pytest", help="pytest-odoo on the existing test database")
    p_pytest.add_argument("pytest_args", nargs=argparse.REMAINDER)
    p_pytest.set_defaults(func=cmd_pytest)
    sub.add_parser("check-odoo-core", help="Odoo's crm and sale tests with our addons installed").set_defaults(
        func=cmd_check_odoo_core)
    p_bench = sub.add_parser("bench", help="run the benchmarks of bench/ on their own database")
    p_bench.add_argument("names", nargs="*", help="e.g. identity_matching for bench/bench_identity_matching.py")
    p_bench.add_argument("--sizes", help="comma-separated data sizes, e.g. 10000,100000")
    p_bench.set_defaults(bench_args=[])
    p_bench.set_defaults(func=cmd_bench)
    p_lint = sub.add_parser("lint", help="ruff and pylint-odoo on the addons (OCA's mandatory checks)")
    p_lint.add_argument("paths", nargs="*", help="files or folders (default: the whole repository / every addon)")
    p_lint.set_defaults(func=cmd_lint)
    p_odoo = sub.add_parser("odoo", help="odoo-bin with the project's configuration")
    p_odoo.add_argument("odoo_args", nargs=argparse.REMAINDER)
    p_odoo.set_defaults(func=cmd_odoo)
    argv, bench_args = sys.argv[1:], []
    if argv[:1] == ["bench"] and "--" in argv:
        # What follows "--" is for the benchmark script, e.g. "bench webhook_concurrency -- --max-seconds 3600".
        argv, bench_args = argv[:argv.index("--")], argv[argv.index("--") + 1:]
    args = pass_through_args(argv) or parser.parse_args(argv)
    if bench_args:
        args.bench_args = bench_args
    try:
        args.func(args)
    except SetupError as exc:
        print(f"\nsocial-crm: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
