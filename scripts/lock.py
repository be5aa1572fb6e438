"""Helpers for constraints.txt, the lock of every installed Python package.

    python scripts/lock.py verify constraints.txt
        Fails when the running interpreter has a package that the lock does
        not list, or lists at another version. The Makefile runs it after each
        install, so a package added to requirements*.txt without `make lock`
        (and its own dependencies, which pip would pick freely) stops the build.

    python scripts/lock.py transitive constraints.txt requirements-dev.txt
        Prints the lock's lines for packages that the requirement files (and
        the files they include with -r) do not name: the transitive pins.
        `make lock` installs with them as constraints, so regenerating the lock
        after adding a package keeps every other version where it was.

Standard library only: it runs before and after the packages are installed.
"""

import re
import sys
from importlib.metadata import distributions
from pathlib import Path

# Installed in every virtual environment, not by the requirement files.
TOOLING = {"pip", "setuptools", "wheel"}
NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: str) -> dict[str, tuple[str, str]]:
    """{normalised name: (version, line)} for each `name==version` line."""
    pins = {}
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, separator, version = line.partition("==")
        if not separator:
            raise SystemExit(f"{path}: not an exact pin: {line!r}")
        pins[normalise(name.strip())] = (version.strip(), line)
    return pins


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith(("-r ", "--requirement ")):
            names |= requirement_names(path.parent / line.split(None, 1)[1])
        elif match := NAME.match(line):
            names.add(normalise(match.group(1)))
    return names


def verify(lock_path: str) -> int:
    pins = read_lock(lock_path)
    problems = []
    for dist in distributions():
        name = dist.metadata["Name"]
        key = normalise(name)
        if key in TOOLING:
            continue
        locked = pins.get(key, (None, None))[0]
        if locked != dist.version:
            where = f"locked at {locked}" if locked else "not in the lock"
            problems.append(f"  {name}=={dist.version} ({where})")
    if problems:
        print(f"Installed packages that {lock_path} does not pin:", file=sys.stderr)
        print("\n".join(sorted(problems)), file=sys.stderr)
        print("Run `make lock` after changing requirements*.txt (see README, Dependencies).", file=sys.stderr)
        return 1
    return 0


def transitive(lock_path: str, *requirement_files: str) -> int:
    direct = set()
    for path in requirement_files:
        direct |= requirement_names(Path(path))
    for key, (_version, line) in sorted(read_lock(lock_path).items()):
        if key not in direct:
            print(line)
    return 0


if __name__ == "__main__":
    commands = {"verify": verify, "transitive": transitive}
    if len(sys.argv) < 3 or sys.argv[1] not in commands:
        raise SystemExit(__doc__)
    sys.exit(commands[sys.argv[1]](*sys.argv[2:]))
