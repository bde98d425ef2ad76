"""What a newcomer reads and installs matches the code: the README's configuration table lists
every variable the settings read, the README stands on its own, the locks pin the requirements."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# os.environ.get("X", …), os.getenv("X"), os.environ["X"] and the settings' own helpers.
SETTING_READ = re.compile(
    r"""(?:os\.environ\.get|os\.getenv|env_bool|env_list|env_int|env_str)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)


def names_read_by_settings(text: str) -> set[str]:
    return {a or b for a, b in SETTING_READ.findall(text)}


def configuration_table(readme: str) -> set[str]:
    """The variable names in the first table of the README's "Configuration" section."""
    section = readme.split("\n## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = section.split("\n|", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)`", "|" + rows, flags=re.MULTILINE))


def test_the_parser_finds_each_way_of_reading_the_environment() -> None:
    text = """
    A = os.environ.get("ALPHA", "1")
    B = env_bool("BETA", default=False)
    C = env_list( "GAMMA")
    D = int(os.environ.get('DELTA', "0"))
    E = env_int("EPSILON", 3)
    F = os.environ["ZETA"]
    G = os.getenv("ETA")
    """
    assert names_read_by_settings(text) == {
        "ALPHA", "BETA", "GAMMA", "DELTA", "EPSILON", "ZETA", "ETA"
    }  # fmt: skip


def test_the_readme_lists_every_setting_read_from_the_environment() -> None:
    settings_names = names_read_by_settings((ROOT / "trongtam" / "settings.py").read_text())
    table = configuration_table((ROOT / "README.md").read_text())
    assert "DATABASE_URL" in settings_names  # the parser sees the settings at all
    assert sorted(settings_names - table) == [], "read by trongtam/settings.py, not in the README"
    assert sorted(table - settings_names) == [], "in the README, not read by trongtam/settings.py"


def test_the_readme_and_docs_need_nothing_outside_the_repository() -> None:
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        assert "../shared" not in path.read_text(), path
    for path in [ROOT / "README.md", ROOT / "docs" / "STYLE.md"]:
        for target in re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", path.read_text()):
            assert (path.parent / target).exists(), f"{path.name} links to a missing {target}"


def pins(path: Path) -> dict[str, str]:
    """name → version of every `name==version` line (the -r lines are followed)."""
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip()))
        match = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


def test_the_lock_files_pin_what_the_requirements_ask_for() -> None:
    for requirements, lock in [
        ("requirements.txt", "requirements.lock"),
        ("requirements-dev.txt", "requirements-dev.lock"),
    ]:
        wanted = pins(ROOT / requirements)
        locked = pins(ROOT / lock)
        stale = {name: (version, locked.get(name)) for name, version in wanted.items()
                 if locked.get(name) != version}  # fmt: skip
        assert stale == {}, f"{lock} is out of date: run `make lock`"
        # Each package's entry (its line and the indented ones after it) carries its hashes.
        entries = re.split(r"\n(?=[A-Za-z])", (ROOT / lock).read_text())[1:]
        assert len(entries) == len(locked)
        assert [e.split()[0] for e in entries if "--hash=sha256:" not in e] == []
    runtime, dev = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-dev.lock")
    assert {name: v for name, v in runtime.items() if dev.get(name) != v} == {}
