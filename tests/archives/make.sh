#!/bin/sh
# make.sh OUTDIR - build the intake test archives into OUTDIR (at test time,
# so nothing binary is committed).  Ordinary archives come from zip and tar;
# hostile ones (traversal, links, devices, bombs, 20 000 entries) and LMS
# bulk downloads are built with python3's zipfile and tarfile.
# Every student file holds a marker line naming where it came from, so a
# test can tell which copy intake picked.
set -eu
out=${1:?usage: make.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

src() { printf '/* %s */\nint half_copy(const char *s, const char *a, const char *b) { return 0; }\n' "$1"; }

# ---- ordinary archives: zip and tar of a project folder ----
mkdir -p "$work/proj/sub"
src "proj/half_copy.c" > "$work/proj/half_copy.c"
src "proj/sub/half_copy.c" > "$work/proj/sub/half_copy.c"
echo "notes" > "$work/proj/notes.txt"
printf 'all:\n\tcc half_copy.c\n' > "$work/proj/Makefile"
echo junk > "$work/proj/.DS_Store"
(cd "$work" && zip -qr "$out/ok.zip" proj)
(cd "$work" && tar -cf "$out/ok.tar" proj)
(cd "$work" && tar -czf "$out/ok.tar.gz" proj)
(cd "$work" && tar -cjf "$out/ok.tar.bz2" proj)
# a plain folder and a single file
cp -r "$work/proj" "$out/dir"
ln -s /etc/passwd "$out/dir/passwd.c"
ln -s /etc "$out/dir/etc"
src "single renamed" > "$out/my_solution.c"
src "single" > "$out/half_copy.c"
# an mtree "archive" names files on the grader's disk: never read as one
printf '#mtree\nhalf_copy.c type=file contents=/etc/passwd\n' > "$out/evil.mtree"
# a zip that is not one
printf 'PK\003\004 truncated' > "$out/corrupt.zip"

python3 - "$out" <<'PY'
import io, os, stat, sys, tarfile, time, warnings, zipfile
warnings.simplefilter("ignore")
out = sys.argv[1]
def src(tag):
    return ("/* %s */\nint half_copy(const char *s, const char *a, const char *b) { return 0; }\n" % tag).encode()

def zip_of(name, entries, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(os.path.join(out, name), "w", method) as z:
        for n, d in entries:
            z.writestr(n, d)

def link_info(name, target):
    zi = zipfile.ZipInfo(name)
    zi.create_system = 3
    zi.external_attr = (stat.S_IFLNK | 0o777) << 16
    return zi, target.encode()

def tar_of(name, members, mode="w"):
    with tarfile.open(os.path.join(out, name), mode) as t:
        for ti, data in members:
            t.addfile(ti, io.BytesIO(data) if data is not None else None)

def reg(name, data):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = time.time()
    return ti, data

def special(name, kind, target=""):
    ti = tarfile.TarInfo(name); ti.type = kind; ti.linkname = target
    if kind == tarfile.CHRTYPE:
        ti.devmajor, ti.devminor = 1, 3
    return ti, None

# path traversal and absolute paths next to one safe copy
zip_of("traversal.zip", [("../../half_copy.c", src("traversal")),
                         ("/tmp/abs/half_copy.c", src("absolute")),
                         ("a/../../b/half_copy.c", src("inner traversal")),
                         ("safe/half_copy.c", src("safe"))])
tar_of("traversal.tar", [reg("../../half_copy.c", src("traversal")),
                         reg("/etc/half_copy.c", src("absolute"))])
# links and devices, never followed, never copied
tar_of("links.tar", [reg("real.txt", b"not code\n"),
                     special("half_copy.c", tarfile.SYMTYPE, "/etc/passwd"),
                     special("sub/half_copy.c", tarfile.LNKTYPE, "real.txt"),
                     special("dev/half_copy.c", tarfile.CHRTYPE),
                     special("fifo.c", tarfile.FIFOTYPE)])
zip_of("symlink.zip", [link_info("half_copy.c", "/etc/shadow"), ("readme.txt", b"hi\n")])
# a zip bomb: 200 MB of zeros in one entry, and a tar.gz bomb
with zipfile.ZipFile(os.path.join(out, "bomb.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("half_copy.c", src("bomb"))
    with z.open("zeros.bin", "w", force_zip64=True) as f:
        chunk = bytes(1 << 20)
        for _ in range(200):
            f.write(chunk)
with tarfile.open(os.path.join(out, "bomb.tar.gz"), "w:gz", compresslevel=1) as t:
    ti = tarfile.TarInfo("zeros.bin"); ti.size = 200 << 20
    class Zeros(io.RawIOBase):
        def __init__(self): self.left = 200 << 20
        def readable(self): return True
        def readinto(self, b):
            n = min(len(b), self.left); b[:n] = bytes(n); self.left -= n; return n
    t.addfile(ti, io.BufferedReader(Zeros()))
    ti, data = reg("half_copy.c", src("bomb tgz")); t.addfile(ti, io.BytesIO(data))
# one wanted file over the 1 MiB cap
zip_of("big.zip", [("half_copy.c", b"/*" + b"x" * (2 << 20) + b"*/\n")])
# 20 000 entries
with zipfile.ZipFile(os.path.join(out, "many.zip"), "w", zipfile.ZIP_STORED) as z:
    for i in range(20000):
        z.writestr("f/%05d.txt" % i, b"")
    z.writestr("half_copy.c", src("many"))
# nested archives: a zip inside a zip (inside a zip), and three levels
def zip_bytes(entries):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in entries:
            z.writestr(n, d)
    return b.getvalue()
inner = zip_bytes([("hw/half_copy.c", src("nested"))])
zip_of("nested.zip", [("readme.txt", b"see inside\n"), ("submission.zip", inner)])
level2 = zip_bytes([("b.zip", zip_bytes([("half_copy.c", src("two levels"))]))])
zip_of("nested2.zip", [("a.zip", level2)])
level3 = zip_bytes([("b.zip", zip_bytes([("c.zip", zip_bytes([("half_copy.c", src("three levels"))]))]))])
zip_of("nested3.zip", [("a.zip", level3)])
# a nested copy never beats a direct one
zip_of("nested_and_direct.zip", [("inner.zip", inner), ("deep/er/half_copy.c", src("direct"))])
# a nested archive opened for one file does not replace a direct other one
zip_of("mixed.zip", [("proj/sub/half_copy.c", src("direct deep")),
                     ("x.zip", zip_bytes([("half_copy.c", src("nested shallow")),
                                          ("Makefile", b"all:\n")]))])
# __MACOSX junk, dot files, and one real file
zip_of("macosx.zip", [("__MACOSX/proj/._half_copy.c", b"\x00\x05\x16\x07junk"),
                      ("proj/.half_copy.c.swp", b"swap"),
                      (".git/half_copy.c", src("git")),
                      ("proj/half_copy.c", src("macosx real"))])
# duplicate names: the first of two equal paths, the shallowest of others
zip_of("dup.zip", [("x/half_copy.c", src("first")), ("x/half_copy.c", src("second"))])
zip_of("deep.zip", [("a/b/c/half_copy.c", src("deepest")), ("z/half_copy.c", src("shallow z")),
                    ("b/half_copy.c", src("shallow b"))])
# a renamed file, alone, and two candidates (no guess)
zip_of("renamed.zip", [("hw/halfcopy.c", src("renamed")), ("hw/notes.md", b"n\n")])
zip_of("two_c.zip", [("one.c", src("one")), ("two.c", src("two"))])
# names in UTF-8 (read whatever the grader's locale)
zip_of("unicode.zip", [("h\u00e9llo/half_copy.c", src("unicode")), ("\u65e5\u672c/notes.txt", b"n\n")])
# a terminal escape in a name
zip_of("escape.zip", [("\x1b[2Jevil.txt", b"x"), ("half_copy.c", src("escape"))])

# ---- LMS bulk downloads ----
# Moodle ("download submissions in folders"): one folder per student
moodle_student = lambda name, sid: "%s_%s_assignsubmission_file_" % (name, sid)
tgz = io.BytesIO()
with tarfile.open(fileobj=tgz, mode="w:gz") as t:
    ti, data = reg("hw/half_copy.c", src("hopper tgz")); t.addfile(ti, io.BytesIO(data))
zip_of("bulk_moodle.zip", [
    (moodle_student("Ada Lovelace", 12345) + "/half_copy.c", src("lovelace")),
    (moodle_student("Alan Turing", 23456) + "/submission.zip", inner),
    (moodle_student("Grace Hopper", 34567) + "/hw.tar.gz", tgz.getvalue()),
    (moodle_student("Edsger Dijkstra", 45678) + "/src/half_copy.c", src("dijkstra")),
    (moodle_student("Edsger Dijkstra", 45678) + "/notes.txt", b"notes\n"),
    (moodle_student("John Smith", 11111) + "/half_copy.c", src("smith 1")),
    (moodle_student("John Smith", 22222) + "/half_copy.c", src("smith 2")),
    (moodle_student("Jos\u00e9 Garc\u00eda", 77777) + "/half_copy.c", src("garcia")),
    ("__MACOSX/" + moodle_student("Ada Lovelace", 12345) + "/._half_copy.c", b"junk"),
    (moodle_student("Evil", 99999) + "/../../escape.c", src("escape")),
])
# Moodle without folders: flat files
zip_of("bulk_moodle_flat.zip", [
    (moodle_student("Ada Lovelace", 12345) + "half_copy.c", src("lovelace flat")),
    (moodle_student("Alan Turing", 23456) + "half-copy.c", src("turing flat renamed")),
])
# Canvas: flat files "name[_late]_userid_submissionid_file"
zip_of("bulk_canvas.zip", [
    ("lovelace_12345_67890_half_copy.c", src("canvas lovelace")),
    ("turing_late_23456_78901_half_copy.c", src("canvas turing late")),
    ("hopper_34567_89012_hw.tar.gz", tgz.getvalue()),
    ("knuth_45678_90123_half_copy-1.c", src("canvas knuth resubmitted")),
    ("knuth_45678_90124_notes.txt", b"notes\n"),
])
# a student's own zip that is NOT a bulk download
zip_of("not_bulk.zip", [("hw1/half_copy.c", src("own")), ("hw1/test_1_2_x.c", src("x")),
                        ("hw1/a.c", b""), ("hw1/b.c", b"")])
PY
