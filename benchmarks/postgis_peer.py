"""An independent PostGIS peer for the topology checks (invalid, overlaps, gaps).

The benchmark runs the same topology analysis here, in a throwaway PostgreSQL 15 +
PostGIS 3 cluster, on the same GeoPackage and in the same run as our own engine,
and compares counts and times. Nothing here is shipped in the plugin.

    python -m cadastre_cleaner.benchmarks.postgis_peer build/bench/commune_100000/commune.gpkg --min-area 0.01

What the peer computes (see `topology_counts`):

* invalid  - NOT ST_IsValid(geom); NULL geometries are not counted (empty: NULL or
  ST_IsEmpty, reported apart).
* overlaps - pairs a.id < b.id, a.geom && b.geom, of the ST_MakeValid'd polygons
  whose ST_Intersection has an area > min_area. The join keeps the pairs whose
  interiors meet in 2-D (ST_Relate pattern '2********', which implies ST_Intersects
  and is exactly "the intersection has an area"), so ST_Intersection never runs on
  the many neighbours that only touch. `overlaps_st_overlaps` counts the pairs the
  classic query's ST_Overlaps returns (for information: it misses containment).
* gaps     - the interior rings of ST_Union(ST_MakeValid(geom)) of all parcels, as
  polygons (less any part of the union lying inside them, an "island"), area > min_area.
  Above 50 000 parcels the union is staged: per grid cell of ~10 000 parcels, on two
  connections at once, then the cell unions are unioned; the holes are those of the
  whole union. (1 M parcels here: 60 s staged, 1.1 GB; 88 s and 2.5 GB in one ST_Union.)

PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the `postgres`
user (runuser, else su), in a folder chowned to it. A folder that user cannot reach
(e.g. under pytest's 0700 /tmp/pytest-of-root) is replaced by one made under /tmp.
"""
import argparse
import io
import json
import logging
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

log = logging.getLogger("cadastre_cleaner")

PG_VERSION = "15"
PG_BIN = Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")
APT_PACKAGE = f"postgresql-{PG_VERSION}-postgis-3"
POSTGIS_CONTROL = Path(f"/usr/share/postgresql/{PG_VERSION}/extension/postgis.control")
# The control file comes with the -scripts package, which stays when the main one is
# removed: the library tells whether the extension really is there.
POSTGIS_LIB = Path(f"/usr/lib/postgresql/{PG_VERSION}/lib/postgis-3.so")
INSTALL_HINT = (f"sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive "
                f"apt-get install -y --no-install-recommends {APT_PACKAGE}")
SUPERUSER = "postgres"
OS_USER_WHEN_ROOT = "postgres"

# A 2-core, 24 GB machine doing one bulk load and a few big queries.
TUNING = {
    "shared_buffers": "2GB",
    "work_mem": "256MB",
    "maintenance_work_mem": "1GB",
    "effective_cache_size": "16GB",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "1h",
    "autovacuum": "off",
    "max_parallel_workers_per_gather": "2",
    "max_parallel_maintenance_workers": "2",
    "random_page_cost": "1.1",
    "jit": "off",
}

# Union in one ST_Union up to this many parcels; above, per grid cell first.
SINGLE_UNION_MAX = 50_000
CELL_TARGET = 10_000        # parcels per grid cell in the staged union


# -- Installing PostGIS -------------------------------------------------------------


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def postgis_installed() -> bool:
    return POSTGIS_CONTROL.exists() and POSTGIS_LIB.exists() and (PG_BIN / "initdb").exists()


def ensure_postgis(timeout: float = 1800) -> bool:
    """Install Debian's PostgreSQL 15 + PostGIS 3 when missing. True when it installed.

    apt-get runs directly as root, else through `sudo -n` (never waits for a
    password). Raises RuntimeError naming the command to run when it cannot.
    """
    if postgis_installed():
        return False
    if shutil.which("apt-get") is None:
        raise RuntimeError(f"PostGIS is missing ({POSTGIS_CONTROL}) and there is no apt-get here. "
                           f"Install PostgreSQL {PG_VERSION} with PostGIS 3, e.g.: {INSTALL_HINT}")
    prefix = []
    if not _is_root():
        if shutil.which("sudo") is None:
            raise RuntimeError(f"PostGIS is missing ({POSTGIS_CONTROL}) and installing it needs root "
                               f"(no sudo here). Run as root: {INSTALL_HINT}")
        prefix = ["sudo", "-n"]
    apt = prefix + ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-q", "-y",
                    "-o", "DPkg::Lock::Timeout=600"]
    install = apt + ["install", "--no-install-recommends", APT_PACKAGE]
    log.info("installing %s: %s", APT_PACKAGE, shlex.join(install))
    outputs = []
    for cmd in (install, apt + ["update"], install):   # update only when a first try fails
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=timeout)
        outputs.append(f"$ {shlex.join(cmd)}\n{proc.stdout[-1500:]}{proc.stderr[-1500:]}")
        if cmd is install and proc.returncode == 0 and postgis_installed():
            return True
        if cmd is not install and proc.returncode != 0:
            break
    raise RuntimeError(f"PostGIS is missing ({POSTGIS_CONTROL}) and could not be installed "
                       f"(no network, no apt lists or no rights?). Run: {INSTALL_HINT}\n"
                       + "\n".join(outputs)[-4000:])


# -- A throwaway cluster ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempCluster:
    """initdb + pg_ctl start in `folder`; stopped and removed on exit.

    Unix socket only (listen_addresses = ''), in `folder`/run, on a free port number.
    As root everything runs as the `postgres` user. `settings` override TUNING.

        with TempCluster("build/pg") as pg:
            conn = pg.connect()
    """

    def __init__(self, folder, settings: dict | None = None, port: int | None = None,
                 keep: bool = False, start_timeout: int = 120):
        self.requested = Path(folder).resolve()
        self.settings = {**TUNING, **(settings or {})}
        self.port = port or _free_port()
        self.keep = keep
        self.start_timeout = start_timeout
        self.folder: Path | None = None
        self._made: list[Path] = []     # what stop() removes
        self._running = False
        self.as_user = OS_USER_WHEN_ROOT if _is_root() else None

    # paths
    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder / "run"

    @property
    def logfile(self) -> Path:
        return self.folder / "postgres.log"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    # running commands as the cluster's owner
    def _cmd(self, args: list[str]) -> list[str]:
        if self.as_user is None:
            return args
        if shutil.which("runuser"):
            return ["runuser", "-u", self.as_user, "--"] + args
        return ["su", self.as_user, "-s", "/bin/sh", "-c", shlex.join(args)]

    def _run(self, args: list[str], timeout: float = 300, check: bool = True):
        proc = subprocess.run(self._cmd(args), cwd=self.folder or "/", stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise RuntimeError(f"{shlex.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
                               + self._log_tail())
        return proc

    def _log_tail(self) -> str:
        try:
            return "\n--- postgres.log ---\n" + self.logfile.read_text(errors="replace")[-3000:]
        except (OSError, TypeError, AttributeError):
            return ""

    def _give(self, path: Path) -> None:
        if self.as_user is not None:
            shutil.chown(path, user=self.as_user, group=self.as_user)

    def _usable(self, folder: Path) -> bool:
        """The owner can write there and the socket path fits (108 bytes on Linux)."""
        if len(str(folder / "run" / f".s.PGSQL.{self.port}.lock")) > 100:
            return False
        if self.as_user is None:
            return os.access(folder, os.W_OK | os.X_OK)
        probe = subprocess.run(self._cmd(["test", "-w", str(folder), "-a", "-x", str(folder)]),
                               cwd="/", stdin=subprocess.DEVNULL, capture_output=True)
        return probe.returncode == 0

    def _prepare_folder(self) -> None:
        folder = self.requested
        ours = {"data", "run", "postgres.log"}
        if not folder.exists():
            folder.mkdir(parents=True)
            self._made.append(folder)
        elif not {p.name for p in folder.iterdir()} <= ours:
            # Someone else's folder: never chown it, work in a folder of our own inside.
            folder = Path(tempfile.mkdtemp(prefix="postgis-peer-", dir=folder))
            self._made.append(folder)
        self.folder = folder
        self._give(folder)
        if not self._usable(folder):
            tmp = Path(tempfile.mkdtemp(prefix="cadastre-pg-", dir="/tmp"))
            log.info("%s is out of reach of user %s (or too long for a socket): using %s",
                     folder, self.as_user or "(me)", tmp)
            self._made.append(tmp)
            self.folder = tmp
            self._give(tmp)
        if self.data.exists():              # a cluster left by a run that died
            if (self.data / "postmaster.pid").exists():
                self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                          check=False, timeout=60)
            shutil.rmtree(self.data)
        for sub in (self.socket_dir,):
            sub.mkdir(exist_ok=True)
            self._give(sub)
        if self.folder not in self._made:
            self._made += [self.data, self.socket_dir, self.logfile]

    def start(self) -> "TempCluster":
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL {PG_VERSION} server binaries are missing ({PG_BIN}). "
                               f"Run: {INSTALL_HINT}")
        if self.as_user is not None:
            import pwd
            try:
                pwd.getpwnam(self.as_user)
            except KeyError:
                raise RuntimeError(f"running as root, PostgreSQL needs the '{self.as_user}' user, which "
                                   f"does not exist (installing postgresql-{PG_VERSION} makes it)") from None
        try:
            self._start()
        except BaseException:
            self.stop()       # no __exit__ when __enter__ fails: leave nothing running
            raise
        return self

    def _start(self) -> None:
        self._prepare_folder()
        self._run([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
                   "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"])
        conf = dict(self.settings)
        conf.update({"listen_addresses": "", "port": str(self.port),
                     "unix_socket_directories": str(self.socket_dir),
                     "unix_socket_permissions": "0700", "logging_collector": "off"})
        try:
            shm = os.statvfs("/dev/shm")
            if shm.f_bavail * shm.f_frsize < 1 << 30:   # a container's 64 MB /dev/shm
                conf.setdefault("dynamic_shared_memory_type", "mmap")
        except OSError:
            conf.setdefault("dynamic_shared_memory_type", "mmap")
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as fh:
            fh.write("\n# cadastre_cleaner.benchmarks.postgis_peer\n")
            for k, v in conf.items():
                fh.write(f"{k} = '{v}'\n")
        self.logfile.touch()
        self._give(self.logfile)
        self._running = True     # from here on, stop() runs pg_ctl stop
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), "-w",
                   "-t", str(self.start_timeout), "start"], timeout=self.start_timeout + 30)
        with self.connect() as conn:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        conn.close()

    def stop(self) -> None:
        if self._running:
            self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                      check=False, timeout=120)
            self._running = False
        if self.keep:
            return
        for path in reversed(self._made):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists():
                path.unlink()
        self._made = []

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host={self.socket_dir} port={self.port} user={SUPERUSER} dbname={dbname}"

    def connect(self, dbname: str = "postgres"):
        import psycopg2
        return psycopg2.connect(self.dsn(dbname), options="-c client_min_messages=warning")

    def pids(self) -> list[int]:
        """The postmaster and all its children (backends, parallel workers, ...)."""
        import psutil
        try:
            first = (self.data / "postmaster.pid").read_text().split("\n", 1)[0]
            root = psutil.Process(int(first))
            return [root.pid] + [c.pid for c in root.children(recursive=True)]
        except (OSError, ValueError, psutil.Error):
            return []


class MemorySampler:
    """Peak of the summed memory of a set of processes, sampled in a thread.

    PSS (shared pages split between the processes that map them, so shared_buffers
    counts once) when readable, else RSS (which counts shared memory in each).
    """

    def __init__(self, pids_fn, interval: float = 0.5):
        self.pids_fn, self.interval = pids_fn, interval
        self.peak_mb = 0.0
        self.kind = "pss"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        import psutil
        total = 0
        for pid in self.pids_fn():
            try:
                p = psutil.Process(pid)
                if self.kind == "pss":
                    try:
                        total += p.memory_full_info().pss
                        continue
                    except (psutil.AccessDenied, AttributeError):
                        self.kind = "rss"
                total += p.memory_info().rss
            except psutil.Error:
                pass
        self.peak_mb = max(self.peak_mb, total / 2**20)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self):
        try:
            import psutil  # noqa: F401
        except ImportError:
            self.kind = "unavailable"
            return self
        self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()
            self._sample()
        return False


# -- Loading ------------------------------------------------------------------------


NULL = "\\N"     # COPY's text format


def load_parcels(conn, gpkg_path, layer: str = "parcels", chunk: int = 100_000) -> dict:
    """(Re)create `parcels(id bigint, geom geometry)` from a GeoPackage layer.

    Read with our reader, then COPY id + hex WKB straight into the geometry column
    (PostGIS's geometry input parses hex WKB as ST_GeomFromWKB would, with no staging
    table; SRID 0); NULL geometries stay NULL. Then a GiST index and ANALYZE.
    Returns the counts and timings (read, copy, index, analyze, load = all).
    """
    import numpy as np
    import shapely
    from ..core.loading.vector import read_vector

    timings = {}
    t0 = t = time.perf_counter()
    frame = read_vector(f"{gpkg_path}|layername={layer}", role="parcels")
    geoms = frame.geometry
    ids = np.asarray(frame.fids, dtype=np.int64)
    timings["read"] = time.perf_counter() - t

    t = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS parcels CASCADE")
        cur.execute("CREATE UNLOGGED TABLE parcels (id bigint PRIMARY KEY, geom geometry)")
        for lo in range(0, len(ids), chunk):
            # Binary WKB + bytes.hex() is ten times faster than to_wkb(hex=True).
            wkbs = shapely.to_wkb(geoms[lo:lo + chunk], include_srid=False)
            text = "".join(f"{i}\t{w.hex() if w is not None else NULL}\n"
                           for i, w in zip(ids[lo:lo + chunk].tolist(), wkbs.tolist()))
            cur.copy_expert("COPY parcels (id, geom) FROM STDIN", io.StringIO(text), size=1 << 20)
    conn.commit()
    timings["copy"] = time.perf_counter() - t

    t = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("CREATE INDEX parcels_geom ON parcels USING gist (geom)")
    conn.commit()
    timings["index"] = time.perf_counter() - t
    t = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("ANALYZE parcels")
    conn.commit()
    timings["analyze"] = time.perf_counter() - t
    timings["load"] = time.perf_counter() - t0
    return {"parcels": int(len(ids)), "null_geometries": int(shapely.is_missing(geoms).sum()),
            "timings": timings}


# -- The topology analysis ----------------------------------------------------------


def _q(conn, sql: str, args=None, fetch: str | None = None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        out = cur.fetchall() if fetch == "all" else cur.fetchone() if fetch == "one" else None
    conn.commit()
    return out


def _staged_union(conn, n: int, cell_target: int, timings: dict) -> None:
    """Union per grid cell on two connections (one per core), then union the cells."""
    import psycopg2
    xmin, ymin, xmax, ymax = _q(conn, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
                                      "FROM (SELECT ST_Extent(geom) e FROM pv) s", fetch="one")
    cells = max(1, n // cell_target)
    size = max(((xmax - xmin) * (ymax - ymin) / cells) ** 0.5, 1e-9)
    ncols = int((xmax - xmin) / size) + 1
    t = time.perf_counter()
    _q(conn, "DROP TABLE IF EXISTS pv_cells")
    _q(conn, "CREATE UNLOGGED TABLE pv_cells (cell int, geom geometry)")
    sql = ("INSERT INTO pv_cells SELECT cell, ST_Union(geom) FROM ("
           " SELECT floor(((ST_XMin(geom) + ST_XMax(geom)) / 2 - %(x0)s) / %(s)s)::int"
           "      + %(nc)s * floor(((ST_YMin(geom) + ST_YMax(geom)) / 2 - %(y0)s) / %(s)s)::int AS cell,"
           "        geom FROM pv) c WHERE cell %% 2 = %(k)s GROUP BY cell")

    def part(k):
        c = psycopg2.connect(conn.dsn, options="-c client_min_messages=warning "
                                               "-c max_parallel_workers_per_gather=0")
        try:
            _q(c, sql, {"x0": xmin, "y0": ymin, "s": size, "nc": ncols, "k": k})
        finally:
            c.close()

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(part, (0, 1)))
    timings["gaps_union_cells"] = time.perf_counter() - t
    t = time.perf_counter()
    _q(conn, "CREATE UNLOGGED TABLE pv_union AS SELECT (ST_Dump(ST_Union(geom))).geom FROM pv_cells")
    timings["gaps_union_all"] = time.perf_counter() - t


def topology_counts(conn, min_area: float = 0.0, union: str = "auto",
                    cell_target: int = CELL_TARGET) -> dict:
    """Invalid / empty geometries, overlapping pairs and gaps of the loaded `parcels`.

    union: 'single' (one ST_Union of everything), 'staged' (per grid cell, then the
    cells) or 'auto' (staged above SINGLE_UNION_MAX parcels). Returns the counts, a
    DataFrame `pairs` (id_a, id_b, area, st_overlaps), a DataFrame `gap_list`
    (area, x, y: a point on the gap's surface) and `timings` in seconds.
    """
    import pandas as pd

    timings: dict[str, float] = {}
    _q(conn, "SET client_min_messages = warning")   # ST_IsValid's NOTICE per invalid geometry

    t = time.perf_counter()
    n, invalid, empty = _q(conn, """
        SELECT count(*),
               count(*) FILTER (WHERE geom IS NOT NULL AND NOT ST_IsValid(geom)),
               count(*) FILTER (WHERE geom IS NULL OR ST_IsEmpty(geom))
        FROM parcels""", fetch="one")
    timings["invalid"] = time.perf_counter() - t

    # Polygons to measure: valid ones as they are, invalid ones through ST_MakeValid,
    # keeping only their areal part (a bow-tie: two triangles).
    t = time.perf_counter()
    _q(conn, "DROP TABLE IF EXISTS pv, pv_cells, pv_union, pv_holes CASCADE")
    _q(conn, """
        CREATE UNLOGGED TABLE pv AS
        SELECT id, CASE WHEN ST_IsValid(geom) THEN geom
                        ELSE ST_CollectionExtract(ST_MakeValid(geom), 3) END AS geom
        FROM parcels WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)""")
    _q(conn, "DELETE FROM pv WHERE ST_IsEmpty(geom)")
    _q(conn, "CREATE INDEX pv_geom ON pv USING gist (geom)")
    _q(conn, "ANALYZE pv")
    timings["make_valid"] = time.perf_counter() - t

    # Overlaps. ST_Relate(..., '2********'): the interiors meet in 2-D, which is
    # exactly when the intersection has an area (and implies ST_Intersects, which
    # would only cost a third more here). ST_Intersection and ST_Overlaps then run
    # only on those few pairs, never on the many neighbours that just touch. All of
    # it runs in the parallel workers (nested loop over the GiST index).
    t = time.perf_counter()
    rows = _q(conn, """
        SELECT a.id, b.id, ST_Area(ST_Intersection(a.geom, b.geom)), ST_Overlaps(a.geom, b.geom)
        FROM pv a JOIN pv b ON a.id < b.id AND a.geom && b.geom
                           AND ST_Relate(a.geom, b.geom, '2********')""", fetch="all")
    timings["overlaps"] = time.perf_counter() - t
    allpairs = pd.DataFrame(rows, columns=["id_a", "id_b", "area", "st_overlaps"]).astype(
        {"id_a": "int64", "id_b": "int64", "area": "float64", "st_overlaps": "bool"})
    pairs = allpairs[allpairs["area"] > min_area].sort_values(["id_a", "id_b"]).reset_index(drop=True)

    # Gaps: holes of the union of everything.
    t = time.perf_counter()
    nv = _q(conn, "SELECT count(*) FROM pv", fetch="one")[0]
    method = union if union != "auto" else ("staged" if nv > SINGLE_UNION_MAX else "single")
    if method == "staged":
        _staged_union(conn, nv, cell_target, timings)
    elif method == "single":
        _q(conn, "CREATE UNLOGGED TABLE pv_union AS SELECT (ST_Dump(ST_Union(geom))).geom FROM pv")
        timings["gaps_union_all"] = time.perf_counter() - t
    else:
        raise ValueError(f"union must be auto, single or staged, not {union!r}")
    t2 = time.perf_counter()
    _q(conn, "CREATE INDEX pv_union_geom ON pv_union USING gist (geom)")
    _q(conn, """
        CREATE UNLOGGED TABLE pv_holes AS
        SELECT row_number() OVER () AS hid, ST_MakePolygon(ST_InteriorRingN(geom, k)) AS geom
        FROM pv_union, generate_series(1, ST_NumInteriorRings(geom)) AS k""")
    # A hole less the parts of the union inside it: an island parcel, filled (the
    # island's own holes are gaps of their own, found as its interior rings).
    rows = _q(conn, """
        SELECT ST_Area(geom), ST_X(p), ST_Y(p)
        FROM (SELECT geom, ST_PointOnSurface(geom) AS p
              FROM (SELECT CASE WHEN islands IS NULL THEN geom ELSE ST_Difference(geom, islands) END AS geom
                    FROM (SELECT h.geom,
                                 (SELECT ST_Union(ST_MakePolygon(ST_ExteriorRing(u.geom))) FROM pv_union u
                                  WHERE u.geom @ h.geom AND ST_Within(u.geom, h.geom)) AS islands
                          FROM pv_holes h) hi) g
              WHERE NOT ST_IsEmpty(geom)) s
        WHERE ST_Area(geom) > %s ORDER BY 1 DESC, 2, 3""", (min_area,), fetch="all")
    timings["gaps_holes"] = time.perf_counter() - t2
    timings["gaps"] = time.perf_counter() - t
    gap_list = pd.DataFrame(rows, columns=["area", "x", "y"]).astype("float64")

    return {
        "parcels": int(n), "min_area": float(min_area),
        "invalid": int(invalid), "empty": int(empty),
        "overlap_pairs": int(len(pairs)), "overlap_area": float(pairs["area"].sum()),
        "overlaps_st_overlaps": int(allpairs["st_overlaps"].sum()),
        "gaps": int(len(gap_list)), "gap_area": float(gap_list["area"].sum()),
        "union_method": method,
        "pairs": pairs, "gap_list": gap_list, "timings": timings,
    }


# -- All of it ----------------------------------------------------------------------


def run_peer(gpkg_path, workdir="build/pg", min_area: float = 0.0, layer: str = "parcels",
             union: str = "auto", settings: dict | None = None) -> dict:
    """ensure_postgis, a TempCluster in `workdir`, load, topology_counts; timings and
    peak memory (`peak_mb`: PSS of all postgres processes, sampled every 0.5 s)."""
    t0 = time.perf_counter()
    timings = {}
    t = time.perf_counter()
    installed = ensure_postgis()
    timings["install"] = time.perf_counter() - t
    t = time.perf_counter()
    with TempCluster(workdir, settings=settings) as pg:
        timings["start"] = time.perf_counter() - t
        with MemorySampler(pg.pids) as mem:
            conn = pg.connect()
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT postgis_lib_version(), postgis_geos_version()")
                    version = "PostGIS {} (GEOS {})".format(*cur.fetchone())
                conn.commit()
                loaded = load_parcels(conn, gpkg_path, layer)
                result = topology_counts(conn, min_area, union=union)
            finally:
                conn.close()
    timings.update(loaded["timings"])
    timings.update(result.pop("timings"))
    timings["total"] = time.perf_counter() - t0
    result.update({"null_geometries": loaded["null_geometries"], "postgis_installed_now": installed,
                   "peak_mb": round(mem.peak_mb, 1), "peak_mb_kind": mem.kind,
                   "postgis": version, "timings": timings})
    return result


def _scalars(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in ("pairs", "gap_list", "timings")}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m cadastre_cleaner.benchmarks.postgis_peer",
                                description="Topology counts (invalid, overlaps, gaps) in a throwaway PostGIS.")
    p.add_argument("gpkg", help="GeoPackage holding the parcels")
    p.add_argument("--layer", default="parcels")
    p.add_argument("--min-area", type=float, default=0.0, help="overlaps and gaps count above this area")
    p.add_argument("--workdir", default="build/pg", help="folder for the throwaway cluster")
    p.add_argument("--union", choices=("auto", "single", "staged"), default="auto")
    p.add_argument("--json", action="store_true", help="also print the counts and timings as one JSON line")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        res = run_peer(args.gpkg, args.workdir, args.min_area, args.layer, args.union)
    except RuntimeError as err:
        print(f"postgis_peer: {err}", file=sys.stderr)
        return 2
    print(f"PostGIS peer on {args.gpkg} (min area {args.min_area})")
    for k, v in _scalars(res).items():
        print(f"  {k:<22} {v:.3f}" if isinstance(v, float) else f"  {k:<22} {v}")
    print("  timings (s)")
    for k, v in res["timings"].items():
        print(f"    {k:<20} {v:9.2f}")
    if len(res["gap_list"]):
        print("  largest gaps (area, x, y)")
        print(res["gap_list"].head(5).to_string(index=False))
    if len(res["pairs"]):
        print("  largest overlaps")
        print(res["pairs"].sort_values("area", ascending=False).head(5).to_string(index=False))
    if args.json:
        print(json.dumps({**_scalars(res), "timings": res["timings"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
