#!/usr/bin/env python3
"""Checks two layering rules over the source tree (a ctest, `boundaries.layering`):

1. SQL lives only under src/storage: no string literal elsewhere in src/ holds SQL
   (SELECT ... FROM, INSERT INTO, UPDATE ... SET, DELETE FROM, CREATE TABLE/INDEX/
   TRIGGER, ALTER/DROP TABLE, WITH ... AS).
2. The core includes no dialect, transport, http, storage, engine or Beast/Asio header,
   nor the engines' libraries (Cairo, Pango, fontconfig, libsndfile).

Usage: check_boundaries.py <source root>. Prints every violation; exit 1 if any.
"""

import pathlib
import re
import sys

SOURCES = {".cpp", ".hpp", ".h", ".cc"}
STRING = re.compile(r'"(?:\\.|[^"\\\n])*"')
SQL = re.compile(
    r"\b(SELECT\b.*\bFROM|SELECT\s+\d|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(UNIQUE\s+|VIRTUAL\s+)?(TABLE|INDEX|TRIGGER|VIEW)|ALTER\s+TABLE|DROP\s+(TABLE|INDEX|TRIGGER)|"
    r"WITH\s+\w+\s+AS\s*\()")
CORE_INCLUDE = re.compile(
    r'#\s*include\s*[<"]((dialects|transport|http|storage|engines)/[^>"]*|boost/(beast|asio)[^>"]*|sqlite3\.h|libpq-fe\.h|'
    r'cairo[^>"]*|pango/[^>"]*|fontconfig/[^>"]*|sndfile\.h)[>"]')


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    src = root / "src"
    problems = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in SOURCES or not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if not rel.startswith("src/storage/"):
            # Adjacent literals are one string to the compiler: join each line's.
            for number, line in enumerate(strip_comments(text).splitlines(), 1):
                literal = " ".join(s[1:-1] for s in STRING.findall(line))
                if literal and SQL.search(literal):
                    problems.append(f"{rel}:{number}: SQL outside src/storage: {line.strip()}")
        if rel.startswith("src/core/"):
            for number, line in enumerate(text.splitlines(), 1):
                m = CORE_INCLUDE.search(line)
                if m:
                    problems.append(f"{rel}:{number}: the core includes {m.group(1)}")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering violation(s)")
        return 1
    print("layering ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
