#!/usr/bin/env python3
"""Renders the Markdown documentation to HTML pages for the release archives
(analysts open docs/index.html with a browser; Windows has no Markdown viewer).

Use: docs_html.py DOCS_DIR OUT_DIR
Every DOCS_DIR/*.md becomes OUT_DIR/NAME.html, links to .md become links to
.html, and OUT_DIR/index.html lists the pages (the analysts' guide first).
"""
import html
import pathlib
import re
import sys

import markdown
from markdown.extensions.toc import slugify_unicode

CSS = """
body { font-family: system-ui, 'Segoe UI', sans-serif; max-width: 52rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
pre { background: #f4f4f4; padding: .75rem; overflow-x: auto; }
code { font-family: Consolas, 'DejaVu Sans Mono', monospace; font-size: .92em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .3rem .5rem; }
img { max-width: 100%; border: 1px solid #ccc; }
nav { margin-bottom: 1.5rem; }
"""

FIRST = ["guia-analistas", "preparar-datos", "auditar-resultado", "editores"]


def page(title, body):
    return (
        '<!DOCTYPE html>\n<html lang="es">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        '<nav><a href="index.html">Índice de la documentación</a></nav>\n'
        f"{body}\n</body>\n</html>\n"
    )


def title_of(text, default):
    m = re.search(r"^#\s+(.+)$", text, re.M)
    return m.group(1).strip() if m else default


def main():
    docs, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    for md in sorted(docs.glob("*.md")):
        text = md.read_text(encoding="utf-8")
        # The tests' fence options (```consola salida=3) are not for readers.
        text = re.sub(r"^(\s*```+[^\s`]*)[^\n`]*$", r"\1", text, flags=re.M)
        body = markdown.markdown(
            text,
            extensions=["tables", "fenced_code", "toc"],
            extension_configs={"toc": {"slugify": slugify_unicode}},
        )
        body = re.sub(r'href="([^":#]+)\.md(#[^"]*)?"', r'href="\1.html\2"', body)
        title = title_of(text, md.stem)
        (out / f"{md.stem}.html").write_text(page(title, body), encoding="utf-8")
        pages.append((md.stem, title))
    pages.sort(key=lambda p: (FIRST.index(p[0]) if p[0] in FIRST else len(FIRST), p[0]))
    items = "\n".join(
        f'<li><a href="{stem}.html">{html.escape(title)}</a></li>' for stem, title in pages
    )
    index = (
        "<h1>Documentación de reglas</h1>\n"
        "<p>Empiece por la guía para analistas. Los mismos textos están en Markdown "
        "(archivos <code>.md</code>) en esta carpeta.</p>\n"
        f"<ul>\n{items}\n</ul>\n"
    )
    (out / "index.html").write_text(page("Documentación de reglas", index), encoding="utf-8")


if __name__ == "__main__":
    main()
