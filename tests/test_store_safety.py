"""The database under attack: restore while others write, concurrent first
use, purge that must really erase, stalled inputs, orphaned workers, full
and read-only disks, network drives (issue 10, items 1, 4, 9, 11, 12, 14,
18, 19, 21).

Every command runs as a real process; where the order of two processes
matters, one of them waits at a named pause point (tests/processes.py).
"""

from __future__ import annotations

import csv
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from processes import Mhtool, environment, mhtool_command, run, scalar, wait_until
from signalfiles import MMA_HEADER, write_signals


def importing(db: Path, path: Path, pause_at: str) -> Mhtool:
    """A signal import (no dedupe) that stops at the named pause point."""
    return Mhtool(db, "signals", "import", "--source", "mma", "--no-dedupe", path, pause_at=pause_at)


@pytest.fixture
def seeded(tmp_path) -> Path:
    db = tmp_path / "store.db"
    code, _, err = run(db, "signals", "import", "--source", "mma", write_signals(tmp_path / "seed.csv", "SEED", 5))
    assert code == 0, err
    return db


def refs(db: Path, prefix: str) -> int:
    return scalar(db, "SELECT count(*) FROM signals WHERE ref LIKE ?", (f"{prefix}-%",))


def assert_sound(db: Path) -> None:
    code, out, err = run(db, "db", "check")
    assert code == 0, err


# --- 1. restore while another command writes ---------------------------------------------------


def test_a_writer_that_opened_before_a_restore_writes_into_the_restored_database(seeded, tmp_path):
    backup = tmp_path / "backup.db"
    assert run(seeded, "db", "backup", backup)[0] == 0
    importer = importing(seeded, write_signals(tmp_path / "late.csv", "LATE", 50), "import-opened")
    importer.wait_reached()  # it has the database open, not yet the write lock
    code, _, err = run(seeded, "db", "restore", backup)
    assert code == 0, err
    importer.release()
    code, out, err = importer.finish()
    assert code == 0, err
    assert "50 new" in out
    assert refs(seeded, "LATE") == 50, "the import's rows went into a file that is no longer the database"
    assert refs(seeded, "SEED") == 5
    assert_sound(seeded)


def test_restore_waits_for_a_writer_that_holds_the_lock(seeded, tmp_path):
    backup = tmp_path / "backup.db"
    assert run(seeded, "db", "backup", backup)[0] == 0
    importer = importing(seeded, write_signals(tmp_path / "busy.csv", "BUSY", 50), "import-before-commit")
    importer.wait_reached()  # it holds the write lock, its rows written, not committed
    restorer = Mhtool(seeded, "db", "restore", backup, pause_at="write-lock-wanted")
    restorer.wait_reached()
    restorer.release()  # the restore now queues for the lock
    importer.release()
    assert importer.finish()[0] == 0
    code, _, err = restorer.finish()
    assert code == 0, err
    # The import committed first: its rows are in the copy the restore kept, not lost.
    assert refs(seeded, "BUSY") == 0
    kept = list(tmp_path.glob("store.db.before-restore-*"))
    assert len(kept) == 1 and not kept[0].name.endswith(".partial")
    assert refs(kept[0], "BUSY") == 50
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600"
    assert_sound(seeded)


def test_a_writer_queues_behind_a_restore_and_writes_after_it(seeded, tmp_path):
    backup = tmp_path / "backup.db"
    assert run(seeded, "db", "backup", backup)[0] == 0
    restorer = Mhtool(seeded, "db", "restore", backup, pause_at="restore-locked")
    restorer.wait_reached()
    importer = importing(seeded, write_signals(tmp_path / "after.csv", "AFTER", 30), "write-lock-wanted")
    importer.wait_reached()
    importer.release()
    restorer.release()
    assert restorer.finish()[0] == 0
    code, _, err = importer.finish()
    assert code == 0, err
    assert refs(seeded, "AFTER") == 30
    audit = [row[0] for row in sqlite3.connect(seeded).execute("SELECT command FROM audit ORDER BY id")]
    assert audit[-2:] == ["db restore", "signals import"] or audit[-2:] == ["signals import", "db restore"]


def test_restore_keeps_the_audit_trail(seeded, tmp_path):
    backup = tmp_path / "backup.db"
    assert run(seeded, "db", "backup", backup)[0] == 0
    assert run(seeded, "signals", "add", "--text", "Telefonisch gemeld", "--place", "Huizen", "--no-dedupe")[0] == 0
    assert run(seeded, "db", "restore", backup)[0] == 0
    commands = [row[0] for row in sqlite3.connect(seeded).execute("SELECT command FROM audit ORDER BY id")]
    assert commands == ["signals import", "signals add", "db restore"]


def test_restore_from_the_database_itself_is_refused(seeded):
    code, _, err = run(seeded, "db", "restore", seeded)
    assert code == 2 and "database itself" in err


# --- 18. restores in the same second; a killed restore ---------------------------------------


def test_two_restores_in_the_same_second_keep_two_copies(seeded, tmp_path):
    import datetime

    backup = tmp_path / "backup.db"
    assert run(seeded, "db", "backup", backup)[0] == 0
    now = datetime.datetime.now()
    for seconds in range(0, 30):  # every name the next restore could pick is taken
        stamp = (now + datetime.timedelta(seconds=seconds)).strftime("%Y%m%d-%H%M%S")
        (tmp_path / f"store.db.before-restore-{stamp}").write_bytes(b"taken")
    code, _, err = run(seeded, "db", "restore", backup)
    assert code == 0, err
    fresh = [p for p in tmp_path.glob("store.db.before-restore-*") if p.read_bytes() != b"taken"]
    assert len(fresh) == 1 and fresh[0].name.endswith("-2")


def test_a_killed_restore_leaves_the_database_and_says_what_it_left(seeded, tmp_path):
    backup = tmp_path / "backup.db"
    assert run(seeded, "db", "backup", backup)[0] == 0
    assert (
        run(
            seeded,
            "signals",
            "import",
            "--source",
            "mma",
            "--no-dedupe",
            write_signals(tmp_path / "more.csv", "MORE", 10),
        )[0]
        == 0
    )
    restorer = Mhtool(seeded, "db", "restore", backup, pause_at="restore-before-commit")
    restorer.wait_reached()
    restorer.kill()
    assert refs(seeded, "MORE") == 10, "a killed restore must leave the database as it was"
    assert_sound(seeded)
    code, _, err = run(seeded, "db", "info")
    assert code == 0
    partial = list(tmp_path.glob("store.db.before-restore-*.partial"))
    assert len(partial) == 1
    assert str(partial[0]) in err and "interrupted restore" in err and "personal data" in err


# --- 4. concurrent first use ----------------------------------------------------------------


def test_first_use_waits_when_another_process_has_the_new_file_locked(tmp_path):
    db = tmp_path / "new.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is creating the database
    opener = Mhtool(db, "db", "info", pause_at="journal-mode-busy")
    opener.wait_reached()
    holder.execute("COMMIT")
    holder.close()
    opener.release()
    code, _, err = opener.finish()
    assert code == 0, err
    assert "not an mhtool database" not in err


def test_four_imports_at_once_on_a_database_that_does_not_exist_yet(tmp_path):
    db = tmp_path / "fresh.db"
    files = [write_signals(tmp_path / f"f{i}.csv", f"F{i}", 200) for i in range(4)]
    processes = [Mhtool(db, "signals", "import", "--source", "mma", path) for path in files]
    results = [p.finish() for p in processes]
    assert [code for code, _, _ in results] == [0, 0, 0, 0], [err for _, _, err in results]
    for _, _, err in results:
        assert "not an mhtool database" not in err and "locked" not in err
    assert scalar(db, "SELECT count(*) FROM signals") == 800
    assert scalar(db, "SELECT count(*) FROM _sqlite_migrations") == scalar(
        db, "SELECT count(DISTINCT name) FROM _sqlite_migrations"
    )


# --- 11. a stalled input does not hold the write lock; the holder is named ------------------


def test_a_stalled_pipe_does_not_keep_others_from_writing(seeded, tmp_path):
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    stalled = Mhtool(seeded, "signals", "import", "--source", "mma", "--no-dedupe", fifo)

    ends = []

    def opened_by_the_import() -> bool:
        try:  # a pipe opens for writing only once a reader has it open
            ends.append(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            return False
        return True

    wait_until(opened_by_the_import, "the stalled import opens the pipe")
    os.write(ends[0], b"Meldingnummer,Datum melding,Omschrijving\r\n")  # a header, then nothing
    code, out, err = run(
        seeded,
        "signals",
        "import",
        "--source",
        "mma",
        "--no-dedupe",
        write_signals(tmp_path / "other.csv", "OTHER", 20),
    )
    assert code == 0, err
    assert refs(seeded, "OTHER") == 20
    os.write(ends[0], b"PIPE-1,01-07-2026,Via de pijp\r\n")
    os.close(ends[0])
    code, out, err = stalled.finish()
    assert code == 0, err
    assert refs(seeded, "PIPE") == 1


def test_a_writer_that_gives_up_names_the_command_holding_the_lock(seeded, tmp_path):
    importer = importing(seeded, write_signals(tmp_path / "long.csv", "LONG", 20), "import-before-commit")
    importer.wait_reached()
    other = subprocess.run(
        mhtool_command(seeded, "signals", "add", "--text", "Gemeld", "--no-dedupe"),
        capture_output=True,
        text=True,
        env=environment(MHTOOL_BUSY_TIMEOUT="0.5"),
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    importer.release()
    assert importer.finish()[0] == 0
    assert other.returncode == 1
    lines = [line for line in other.stderr.splitlines() if line.startswith("Error")]
    assert len(lines) == 1, other.stderr
    assert f"signals import, process {importer.pid}" in lines[0]
    assert "Traceback" not in other.stderr
    assert "waiting for signals import" in other.stderr


# --- 12. workers die with their parent ------------------------------------------------------


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="imports use worker processes only with 2 or more cores")
def test_workers_do_not_outlive_a_killed_import(seeded, tmp_path):
    big = write_signals(tmp_path / "big.csv", "BIG", 30_000)
    importer = importing(seeded, big, "import-workers-running")
    importer.wait_reached()
    workers = _children(importer.pid)
    assert workers, "the import runs no worker processes"
    importer.kill(whole_group=False)  # only the main process, as a crash or `kill -9 PID` would
    wait_until(lambda: not any(_running(pid) for pid in workers), "the workers exit after their parent died")
    assert refs(seeded, "BIG") == 0
    assert_sound(seeded)


# --- 9 and 19. purge erases, from the WAL and from derived text ----------------------------


SECRET_PHONE, SECRET_NAME, SECRET_STREET = "06-55501234", "Zoltan Purgeman", "Geheimstraat 77"


@pytest.fixture
def old_and_new(tmp_path) -> Path:
    db = tmp_path / "purge.db"
    path = tmp_path / "mixed.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MMA_HEADER)
        writer.writerow(
            [
                "OLD-1",
                "03-02-2019",
                "Seksuele uitbuiting",
                "Huizen",
                "Oude melding",
                SECRET_PHONE,
                SECRET_NAME,
                SECRET_STREET,
            ]
        )
        writer.writerow(
            ["NEW-1", "03-10-2026", "Seksuele uitbuiting", "Huizen", "Nieuwe melding", "06-11122233", "", ""]
        )
    assert run(db, "signals", "import", "--source", "mma", path)[0] == 0
    ads = tmp_path / "ads.csv"
    with open(ads, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Site", "Advertentie ID", "Datum", "Tekst", "Naam", "Leeftijd", "Telefoon", "Plaats"])
        writer.writerow(["kinky.example", "K-1", "20-11-2026", "Nieuw in Huizen", "Mila", "23", SECRET_PHONE, "Huizen"])
    assert run(db, "ads", "import", ads)[0] == 0
    assert run(db, "ads", "score", "--all", "--format", "csv")[0] == 0
    assert "OLD-1" in scalar(db, "SELECT reasons FROM ad_score_list")
    return db


def _bytes_on_disk(db: Path) -> bytes:
    data = db.read_bytes()
    wal = Path(f"{db}-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def _wal_size(db: Path) -> int:
    wal = Path(f"{db}-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_purge_erases_from_the_file_and_its_write_ahead_log(old_and_new):
    db = old_and_new
    assert SECRET_NAME.encode() in _bytes_on_disk(db)
    code, out, err = run(db, "db", "purge", "--before", "1-1-2021", "--yes")
    assert code == 0, err
    assert "1 signals" in out
    on_disk = _bytes_on_disk(db)
    for secret in (SECRET_NAME, SECRET_STREET, "Oude melding", "OLD-1"):  # (the phone is also in a kept ad)
        assert secret.encode() not in on_disk, secret
    assert _wal_size(db) == 0
    assert refs(db, "NEW") == 1


def test_purge_says_so_when_a_reader_keeps_the_data_in_the_log(old_and_new):
    db = old_and_new
    reader = sqlite3.connect(db, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM signals").fetchone()  # an open read transaction
    try:
        code, out, err = run(db, "db", "purge", "--before", "1-1-2021", "--yes", "--wait", "1")
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert code == 1
    assert "deleted" in out
    errors = [line for line in err.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and "purge.db-wal" in errors[0] and "purge again" in errors[0]
    assert "space reclaimed" not in err + out
    code, out, err = run(db, "db", "purge", "--before", "1-1-2021", "--yes")
    assert code == 0, err
    assert SECRET_NAME.encode() not in _bytes_on_disk(db)
    assert _wal_size(db) == 0


def test_purge_removes_purged_signals_from_stored_ad_reasons(old_and_new):
    db = old_and_new
    assert run(db, "db", "purge", "--before", "1-1-2021", "--yes")[0] == 0
    reasons = scalar(db, "SELECT reasons FROM ad_score_list")
    assert "OLD-1" not in reasons
    assert "telefoonnummer komt voor in 1 signaal" in reasons
    code, out, _ = run(db, "ads", "show", "kinky.example:K-1")
    assert code == 0 and "OLD-1" not in out


# --- 14. full and read-only disks ------------------------------------------------------------


def _limited(limit_bytes: int):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return preexec


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs POSIX file-size limits")
def test_an_import_on_a_full_disk_fails_in_one_line_and_changes_nothing(seeded, tmp_path):
    before = refs(seeded, "SEED")
    assert run(seeded, "db", "check")[0] == 0
    size = seeded.stat().st_size
    big = write_signals(tmp_path / "big.csv", "FULL", 20_000)
    result = subprocess.run(
        mhtool_command(seeded, "signals", "import", "--source", "mma", "--no-dedupe", big),
        capture_output=True,
        text=True,
        env=environment(),
        preexec_fn=_limited(size + 200_000),
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Internal error" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and ("no space left" in errors[0] or "disk" in errors[0]), result.stderr
    assert refs(seeded, "FULL") == 0 and refs(seeded, "SEED") == before
    assert_sound(seeded)


def test_commands_on_a_full_disk_name_the_cause(small_disk, fill_disk, tmp_path):
    db = small_disk / "mh.db"
    assert run(db, "signals", "import", "--source", "mma", write_signals(tmp_path / "s.csv", "S", 5))[0] == 0
    fill_disk(small_disk)
    big = write_signals(tmp_path / "big.csv", "BIG", 5_000)
    for args in (
        ("signals", "import", "--source", "mma", "--no-dedupe", big),
        ("signals", "add", "--text", "Gemeld", "--no-dedupe"),
    ):
        code, out, err = run(db, *args)
        assert code == 1
        assert "no space left on device" in err or "disk" in err, err
        assert "not an mhtool database" not in err
    (small_disk / "filler").unlink()
    assert refs(db, "BIG") == 0 and refs(db, "S") == 5
    assert_sound(db)


def test_commands_on_a_read_only_disk_name_the_cause(small_disk, tmp_path):
    db = small_disk / "mh.db"
    assert run(db, "signals", "import", "--source", "mma", write_signals(tmp_path / "s.csv", "S", 5))[0] == 0
    remount = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True)
    if remount.returncode != 0:
        pytest.skip(f"cannot make the filesystem read-only here ({remount.stderr.strip()})")
    try:
        for args in (
            ("signals", "add", "--text", "Gemeld", "--no-dedupe"),
            ("db", "check"),
            ("signals", "list", "--format", "csv"),
        ):
            code, out, err = run(db, *args)
            assert code == 1, (args, out, err)
            lines = [line for line in err.splitlines() if line.startswith("Error")]
            assert len(lines) == 1 and "read-only" in lines[0], (args, err)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], capture_output=True)


# --- 21. network drives --------------------------------------------------------------------


MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /home/director/H rw,relatime shared:20 - cifs //server/share rw,vers=3.0
41 22 0:36 / /mnt/nfs rw,relatime shared:21 - nfs4 server:/export rw
42 40 0:37 / /home/director/H/local\\040disk rw - ext4 /dev/sdb1 rw
"""


@pytest.mark.parametrize(
    "folder, kind",
    [
        ("/home/director", "ext4"),
        ("/home/director/H", "cifs"),
        ("/home/director/H/rapportages", "cifs"),
        ("/home/director/Hx", "ext4"),
        ("/mnt/nfs/mh", "nfs4"),
        ("/home/director/H/local disk/mh", "ext4"),
    ],
)
def test_the_mount_holding_a_folder(folder, kind):
    from mhtool.store.filesystems import mount_type

    assert mount_type(folder, MOUNTINFO) == kind


def test_a_database_on_a_network_drive_is_refused_unless_no_wal(run, db_path, monkeypatch):
    import mhtool.store.db

    monkeypatch.setattr(mhtool.store.db, "network_filesystem", lambda path: "cifs")
    result = run("db", "info")
    assert result.exit_code == 1
    assert "network drive (cifs)" in result.stderr and "--no-wal" in result.stderr
    assert not db_path.exists(), "nothing is created on the network drive"
    result = run("--no-wal", "db", "info")
    assert result.exit_code == 0, result.stderr
    assert scalar(db_path, "PRAGMA journal_mode") == "delete"
    assert not Path(f"{db_path}-wal").exists()
