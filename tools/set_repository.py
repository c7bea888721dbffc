"""Point the book at its repository: one setting, every place written from it.

The setting is ``repository.url`` (and ``repository.branch``) in _config.yml,
which Jupyter Book also reads for its repository and launch buttons. The
places that must name the repository but cannot read _config.yml are
*generated* from it, together with the package's version
(``backprop.__version__``, src/backprop/__init__.py):

- README.md: the Binder and Colab badges and the published site's address;
- book/*.ipynb: the Colab cell's ``%pip install "backprop[...] @ git+URL@vVERSION"``
  (a tagged release, not whatever the branch holds that day);
- CITATION.cff: ``version``, ``repository-code`` and ``url``;
- _config.yml's ``html.baseurl`` (the published site's address), if present.

    python tools/set_repository.py https://github.com/OWNER/REPO  # a fork: set it, rewrite all
    python tools/set_repository.py            # after bumping __version__: rewrite all
    python tools/set_repository.py --check    # list the stale places, exit 1 if any

``make repository URL=...`` runs the first (without URL, the second).
tests/test_repo.py fails when a generated place is stale, and when the URL
is written anywhere else.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "_config.yml"
INIT = ROOT / "src" / "backprop" / "__init__.py"
URL = re.compile(r"https://github\.com/(?P<slug>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?")
SEGMENT = r"[A-Za-z0-9_.-]+"


def generated_files() -> list[Path]:
    """Every file this script writes (besides the setting in _config.yml)."""
    return [
        ROOT / "README.md",
        ROOT / "CITATION.cff",
        *sorted((ROOT / "book").glob("*.ipynb")),
        CONFIG,  # only its html.baseurl, derived from the setting
    ]


def setting() -> tuple[str, str]:
    """(url, branch) as _config.yml's ``repository`` section gives them (read
    without PyYAML, so any Python 3 runs this script)."""
    section = re.search(
        r"^repository:[ \t]*\n((?:[ \t]+.*\n|[ \t]*\n)*)", CONFIG.read_text("utf-8"), re.M
    )
    if section is None:
        raise ValueError("no `repository:` section in _config.yml")
    values = dict(
        re.findall(r"^[ \t]+(url|branch):[ \t]*['\"]?([^'\"#\s]+)", section.group(1), re.M)
    )
    if "url" not in values:
        raise ValueError("no `url:` under `repository:` in _config.yml")
    return values["url"].rstrip("/"), values.get("branch", "main")


def version() -> str:
    """``__version__`` as src/backprop/__init__.py writes it (no import needed)."""
    match = re.search(r'^__version__ = "([^"]+)"', INIT.read_text(encoding="utf-8"), re.M)
    if match is None:
        raise ValueError(f'no __version__ = "..." line in {INIT}')
    return match.group(1)


def slug_of(url: str) -> str:
    """``OWNER/REPO`` of a GitHub URL; ValueError for anything else."""
    match = URL.fullmatch(url.strip())
    if match is None:
        raise ValueError(
            f"the repository URL must look like https://github.com/OWNER/REPO, not {url!r} "
            "(Binder's and Colab's links are GitHub's)"
        )
    return match.group("slug")


def pages_url(slug: str) -> str:
    """Where GitHub Pages publishes the repository's site."""
    owner, repo = slug.split("/")
    if repo.lower() == f"{owner.lower()}.github.io":
        return f"https://{owner.lower()}.github.io/"
    return f"https://{owner.lower()}.github.io/{repo}/"


def render_readme(text: str, slug: str, branch: str) -> str:
    text = re.sub(
        rf"https://mybinder\.org/v2/gh/{SEGMENT}/{SEGMENT}/{SEGMENT}\?",
        f"https://mybinder.org/v2/gh/{slug}/{branch}?",
        text,
    )
    text = re.sub(
        rf"https://colab\.research\.google\.com/github/{SEGMENT}/{SEGMENT}/blob/{SEGMENT}/",
        f"https://colab.research.google.com/github/{slug}/blob/{branch}/",
        text,
    )
    text = re.sub(
        r"(<!-- published -->)[^<]*(<!-- /published -->)",
        lambda m: f"{m.group(1)}{pages_url(slug)}{m.group(2)}",
        text,
    )
    return re.sub(
        r"(<!-- repository -->)[^<]*(<!-- /repository -->)",
        lambda m: f"{m.group(1)}https://github.com/{slug}{m.group(2)}",
        text,
    )


def colab_install(url: str, release: str) -> str:
    """The Colab cell's install line: the tagged release ``v<release>``."""
    return f'%pip install -q "backprop[book,digits] @ git+{url}@v{release}"'


INSTALL = re.compile(r'%pip install -q "backprop\[book,digits\] @ git\+[^"]*"')


def render_notebook(text: str, url: str, release: str) -> str:
    nb = json.loads(text)
    line = colab_install(url, release)
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if INSTALL.search(source):
            new = INSTALL.sub(line, source)
            cell["source"] = new.splitlines(keepends=True)
        break  # only the first code cell, the Colab cell
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def render_citation(text: str, slug: str, release: str) -> str:
    text = re.sub(r"^version: .*$", f'version: "{release}"', text, flags=re.M)
    text = re.sub(
        r"^repository-code: .*$", f'repository-code: "https://github.com/{slug}"', text, flags=re.M
    )
    return re.sub(r"^url: .*$", f'url: "{pages_url(slug)}"', text, flags=re.M)


def render_config(text: str, slug: str) -> str:
    """_config.yml with its ``baseurl:`` (if any) at the GitHub Pages address."""
    return re.sub(
        r"^([ \t]+baseurl:[ \t]*).*$", lambda m: m.group(1) + pages_url(slug), text, flags=re.M
    )


def render(path: Path, url: str, branch: str, release: str) -> str:
    """What ``path`` should hold for this repository URL, branch and version."""
    text = path.read_text(encoding="utf-8")
    slug = slug_of(url)
    if path == CONFIG:
        return render_config(text, slug)
    if path.suffix == ".ipynb":
        return render_notebook(text, url, release) if text else text
    if path.name == "CITATION.cff":
        return render_citation(text, slug, release)
    return render_readme(text, slug, branch)


def stale() -> list[str]:
    """The generated places that do not match the setting (relative paths)."""
    url, branch = setting()
    release = version()
    return [
        path.relative_to(ROOT).as_posix()
        for path in generated_files()
        if path.is_file() and render(path, url, branch, release) != path.read_text("utf-8")
    ]


def set_url(url: str) -> None:
    """Write ``url`` as the setting in _config.yml (its ``repository.url`` line)."""
    slug_of(url)
    text = CONFIG.read_text(encoding="utf-8")
    new, count = re.subn(
        r"^(repository:\n(?:[ \t]+.*\n|\s*#.*\n)*?[ \t]+url:[ \t]*).*$",
        lambda m: m.group(1) + url.rstrip("/"),
        text,
        count=1,
        flags=re.M,
    )
    if count != 1:
        raise ValueError("no `repository:` section with a `url:` line in _config.yml")
    CONFIG.write_text(new, encoding="utf-8")


def write_all() -> list[str]:
    """Rewrite every generated place from the setting; the paths that changed."""
    url, branch = setting()
    release = version()
    changed = []
    for path in generated_files():
        if not path.is_file():
            continue
        new = render(path, url, branch, release)
        if new != path.read_text(encoding="utf-8"):
            path.write_text(new, encoding="utf-8")
            changed.append(path.relative_to(ROOT).as_posix())
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", help="https://github.com/OWNER/REPO (omit: keep it)")
    parser.add_argument("--check", action="store_true", help="only list the stale places")
    args = parser.parse_args(argv)
    if args.check:
        places = stale()
        for place in places:
            print(f"stale: {place} (run `make repository`)")
        return 1 if places else 0
    if args.url:
        set_url(args.url)
    url, _ = setting()
    changed = write_all()
    print(f"repository {url}, release v{version()}: rewrote {len(changed)} file(s)")
    for path in changed:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
