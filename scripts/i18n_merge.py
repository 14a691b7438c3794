#!/usr/bin/env python3
"""Second half of `make translations`: put every string in the context the code uses
at run time, and carry the existing translations over.

    i18n_merge.py FRESH.ts OLD.ts OUT.ts

FRESH.ts is what pylupdate5 just extracted; OLD.ts the translations so far. On top
of pylupdate5 this:

* reads the Python sources (ast) for ``translate("Ctx", "...")``,
  ``QT_TRANSLATE_NOOP("Ctx", "...")``, ``self.tr("...")`` (context = the class) and
  calls of a module-level helper ``def tr(text): return ...translate("Ctx", text)``
  (also when imported with ``from .texts import tr``). pylupdate5 files such helper
  calls under ``@default`` or the enclosing class; they are moved to ``Ctx``, and
  strings pylupdate5 missed (e.g. a call with a trailing comma) are added;
* keeps every translation in OLD.ts whose (context, source) still exists, so
  re-running is idempotent and a string disappears only when the code drops it;
* keeps only the file name of each location (no line numbers), so the .ts changes
  only when texts change.
"""
from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def helper_context(source_file: Path, _depth: int = 0) -> str | None:
    """The context used by the module-level ``tr`` that ``source_file`` calls, if any."""
    try:
        tree = ast.parse(source_file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in ("tr", "_tr") and node.args.args:
            # the call that passes the helper's text argument on with a literal context,
            # e.g. QCoreApplication.translate("Ctx", text) or _translate("Ctx", text)
            param = node.args.args[0].arg
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and len(call.args) >= 2
                    and _literal(call.args[0]) is not None
                    and isinstance(call.args[1], ast.Name)
                    and call.args[1].id == param
                ):
                    return call.args[0].value
    if _depth > 3:
        return None
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            if any(alias.name in ("tr", "_tr") for alias in node.names):
                base = source_file.parent
                for _ in range(node.level - 1):
                    base = base.parent
                target = base.joinpath(*(node.module or "").split(".")).with_suffix(".py")
                return helper_context(target, _depth + 1)
    return None


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def source_files(root: Path = ROOT) -> list[Path]:
    """The Python files whose strings are translated."""
    files = [root / "__init__.py", *sorted((root / "plugin").rglob("*.py"))]
    return [f for f in files if "__pycache__" not in f.parts]


def code_strings(root: Path = ROOT) -> tuple[list[tuple[str, str, Path, int]], list[str]]:
    """``(context, source, file, line)`` of every literal translatable string, and problems."""
    found: list[tuple[str, str, Path, int]] = []
    problems: list[str] = []
    for path in source_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helper = helper_context(path)
        rel = path.relative_to(root)

        def visit(node, cls=None, path=path, helper=helper, rel=rel):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef):
                    visit(child, child.name)
                    continue
                if isinstance(child, ast.Call):
                    func = child.func
                    name = getattr(func, "attr", getattr(func, "id", None))
                    args = child.args
                    ctx = src = None
                    if name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2:
                        ctx, src = _literal(args[0]), _literal(args[1])
                    elif name in ("tr", "_tr") and args:
                        src = _literal(args[0])
                        ctx = cls if isinstance(func, ast.Attribute) else helper
                        if src is not None and ctx is None:
                            problems.append(
                                f"{rel}:{child.lineno}: tr() without a known context; "
                                "use translate(\"Context\", ...) or self.tr in a class"
                            )
                    if ctx is not None and src is not None:
                        found.append((ctx, src, path, child.lineno))
                visit(child, cls)

        visit(tree)
    return found, problems


def _translations(ts: Path) -> dict[tuple[str, str], ET.Element]:
    if not ts.is_file():
        return {}
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and (translation.text or "").strip():
                out[(name, message.findtext("source"))] = translation
    return out


def merge(fresh: Path, old: Path, out: Path, root: Path = ROOT) -> tuple[int, int]:
    """Write OUT; return (strings, still unfinished)."""
    tree = ET.parse(fresh)
    ts_root = tree.getroot()
    found, _problems = code_strings(root)
    by_file_source: dict[tuple[Path, str], set[str]] = {}
    for ctx, src, path, _line in found:
        by_file_source.setdefault((path.resolve(), src), set()).add(ctx)

    contexts: dict[str, ET.Element] = {}

    def context_element(name: str) -> ET.Element:
        if name not in contexts:
            element = ET.SubElement(ts_root, "context")
            ET.SubElement(element, "name").text = name
            contexts[name] = element
        return contexts[name]

    for element in ts_root.findall("context"):
        contexts[element.findtext("name")] = element
    # 1. move messages to the context the code really uses
    for element in list(contexts.values()):
        name = element.findtext("name")
        for message in list(element.findall("message")):
            location = message.find("location")
            if location is None:
                continue
            path = (fresh.parent / location.get("filename")).resolve()
            ctxs = by_file_source.get((path, message.findtext("source")), set())
            if len(ctxs) == 1 and name not in ctxs:
                element.remove(message)
                context_element(next(iter(ctxs))).append(message)
    # 2. add what pylupdate5 missed
    present = {(c.findtext("name"), m.findtext("source"))
               for c in ts_root.findall("context") for m in c.findall("message")}
    for ctx, src, path, line in found:
        if (ctx, src) in present:
            continue
        present.add((ctx, src))
        message = ET.SubElement(context_element(ctx), "message")
        rel = Path("..") / path.relative_to(root)
        ET.SubElement(message, "location", filename=rel.as_posix(), line=str(line))
        ET.SubElement(message, "source").text = src
        ET.SubElement(message, "translation", type="unfinished")
    # 3. carry translations over, drop duplicates and empty contexts, sort contexts
    known = _translations(old)
    total = unfinished = 0
    for element in sorted(ts_root.findall("context"), key=lambda c: c.findtext("name")):
        ts_root.remove(element)
        if not element.findall("message"):
            continue
        ts_root.append(element)
        name = element.findtext("name")
        seen = set()
        for message in list(element.findall("message")):
            source = message.findtext("source")
            if source in seen:
                element.remove(message)
                continue
            seen.add(source)
            total += 1
            for location in message.findall("location"):
                location.attrib.pop("line", None)  # file only: no churn on every code edit
            translation = message.find("translation")
            previous = known.get((name, source))
            if previous is not None:
                translation.text = previous.text
                translation.attrib.clear()
                translation.attrib.update(previous.attrib)
            if translation.get("type") == "unfinished" or not (translation.text or "").strip():
                unfinished += 1
    ET.indent(tree, space="    ")
    body = ET.tostring(ts_root, encoding="unicode")
    out.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                   encoding="utf-8")
    return total, unfinished


if __name__ == "__main__":
    fresh_ts, old_ts, out_ts = (Path(a) for a in sys.argv[1:4])
    strings, todo = merge(fresh_ts, old_ts, out_ts)
    print(f"translations: {out_ts}: {strings} strings, {todo} still to translate")
    for problem in code_strings()[1]:
        print(f"translations: warning: {problem}", file=sys.stderr)
