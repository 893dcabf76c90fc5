"""Each addon's README.rst, built from its ``readme/*.md`` fragments, as OCA's repositories do.

The fragments are the source; README.rst is what Odoo's Apps screen and pylint-odoo read. This
converts the Markdown the fragments use (headings, lists, paragraphs, ``code``, **bold**, links,
indented or fenced code blocks) to reStructuredText.

    python3 tools/addon_readme.py            # write every addon's README.rst
    python3 tools/addon_readme.py --check    # fail when one is not up to date (make lint)
"""
import argparse
import ast
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTIONS = [  # fragment, title
    ("DESCRIPTION.md", None),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("HISTORY.md", "Changelog"),
]
UNDERLINES = {1: "=", 2: "~", 3: "-", 4: "^"}  # depth below the addon's title


def inline(text):
    """Markdown inline markup as reStructuredText."""
    parts = re.split(r"(`[^`]+`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f"``{part[1:-1]}``")
            continue
        part = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", lambda m: f"`{m.group(1)} <{m.group(2)}>`__", part)
        part = re.sub(r"(?<![*\w])\*([^*\s][^*]*?)\*(?![*\w])", r"*\1*", part)
        out.append(part)
    return "".join(out)


def table(rows):
    """A Markdown pipe table (header, separator, rows) as a ``list-table``."""
    cells = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]
    out = ["", ".. list-table::", "   :header-rows: 1", ""]
    for row in [cells[0], *cells[2:]]:
        out += [f"   {'*' if index == 0 else ' '} - {inline(cell) or '..'}" for index, cell in enumerate(row)]
    return out + [""]


def space_lists(line, out, levels):
    """Add the blank line reStructuredText wants where a nested list starts or ends (Markdown
    does not) before ``line``; ``levels`` holds the indentations of the open lists."""
    item = re.match(r"^( *)(?:[-*+]|\d+\.) ", line)
    indent = len(line) - len(line.lstrip(" "))
    previous_text = bool(out and out[-1].strip())
    if not line.strip():
        return
    if item:
        level = len(item.group(1))
        if levels and level != levels[-1] and previous_text:
            out.append("")
        while levels and levels[-1] > level:
            levels.pop()
        if not levels or levels[-1] != level:
            levels.append(level)
    elif levels and indent <= levels[-1]:
        if previous_text:
            out.append("")
        while levels and levels[-1] >= indent:
            levels.pop()


def convert(markdown, depth):
    """Markdown of one fragment as reStructuredText; its headings start at ``depth``."""
    lines, out, fence, rows, levels = markdown.splitlines(), [], None, [], []
    for line in [*lines, ""]:
        if fence is None and line.lstrip().startswith("|"):
            rows.append(line)
            continue
        if rows:
            indent = " " * (len(rows[0]) - len(rows[0].lstrip()))
            out += [indent + row if row else row for row in table(rows)]
            rows = []
        if fence is not None:
            if line.strip().startswith("```"):
                fence = None
                out.append("")
            else:
                out.append("    " + line if line else "")
            continue
        if line.strip().startswith("```"):
            fence = line.strip()[3:]
            out += ["", ".. code-block::" + (f" {fence}" if fence else ""), ""]
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            title = inline(heading.group(2).strip())
            level = min(depth + len(heading.group(1)) - 1, 4)
            out += ["", title, UNDERLINES[level] * max(len(title), 3), ""]
            continue
        if re.match(r"^ {4}\S", line) and (not out or not out[-1].strip() or out[-1].startswith("    ")):
            if out and not out[-1].startswith("    ") and not (out[-1] == "" and len(out) > 1
                                                              and out[-2].startswith("    ")):
                out += ["::", ""]
            out.append(line)
            continue
        space_lists(line, out, levels)
        out.append(inline(line))
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    name = manifest["name"]
    blocks = [
        "=" * len(name), name, "=" * len(name), "",
        ".. This file is generated from the readme/ fragments by tools/addon_readme.py: edit those.", "",
        inline(manifest.get("summary", "")), "",
        f"**License:** {manifest.get('license', '')} | **Version:** {manifest.get('version', '')}"
        f" | **Maturity:** {manifest.get('development_status', '')}", "",
        ".. contents::", "   :local:", "",
    ]
    for fragment, title in SECTIONS:
        path = addon / "readme" / fragment
        if not path.is_file():
            continue
        if title:
            blocks += [title, UNDERLINES[1] * len(title), ""]
        blocks += [convert(path.read_text(), 2 if title else 1), ""]
    blocks += ["Credits", UNDERLINES[1] * 7, "", f"Authors: {manifest.get('author', '')}", ""]
    return "\n".join(blocks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail when a README.rst is not up to date")
    args = parser.parse_args()
    stale = []
    for manifest in sorted(REPO.glob("*/__manifest__.py")):
        addon = manifest.parent
        target, text = addon / "README.rst", render(addon)
        if target.is_file() and target.read_text() == text:
            continue
        if args.check:
            stale.append(str(target.relative_to(REPO)))
        else:
            target.write_text(text)
            print(f"wrote {target.relative_to(REPO)}")
    if stale:
        print("not up to date (run python3 tools/addon_readme.py): " + ", ".join(stale), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
