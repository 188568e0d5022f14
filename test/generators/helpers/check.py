"""Checks generated files with maintained parsers; prints one JSON report on stdout.

  check.py hcl <module dir>...        python-hcl2: parse every .tf, references resolve
  check.py compose <schema> <file>... jsonschema (2020-12) against the Compose Specification
"""
import json
import re
import sys
from pathlib import Path

SECRET_NAME = re.compile(r"(password|secret|connection_string)")
VAR_REF = re.compile(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)")
RES_REF = re.compile(r"\b((?:aws|azurerm|confluent|kafka)_[a-z0-9_]+)\.([a-z_][a-z0-9_]*)\b")


def unquote(key):
    return key[1:-1] if key.startswith('"') and key.endswith('"') else key


def items(block):
    """Named entries of a parsed block, without python-hcl2's own markers (__is_block__)."""
    return [(k, v) for k, v in block.items() if not k.startswith("__")]


def strings(node):
    """Every string in a parsed block (expressions come back as "${...}" strings)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


def check_module(directory):
    import hcl2

    problems, parsed = [], {}
    for tf in sorted(Path(directory).glob("*.tf")):
        with tf.open() as fh:
            try:
                parsed[tf.name] = hcl2.load(fh)
            except Exception as exc:  # the parser's own error is the finding
                problems.append(f"{tf.name}: does not parse: {exc}")
    variables, resources, outputs = {}, set(), {}
    for doc in parsed.values():
        for block in doc.get("variable", []):
            for name, body in items(block):
                variables[unquote(name)] = body
        for block in doc.get("resource", []):
            for rtype, named in items(block):
                for rname, _ in items(named):
                    resources.add(f"{unquote(rtype)}.{unquote(rname)}")
        for block in doc.get("output", []):
            for name, body in items(block):
                outputs[unquote(name)] = body
    for fname, doc in parsed.items():
        for text in strings(doc):
            for ref in VAR_REF.findall(text):
                if ref not in variables:
                    problems.append(f"{fname}: var.{ref} is not declared")
            for rtype, rname in RES_REF.findall(text):
                if f"{rtype}.{rname}" not in resources and rname not in ("id",):
                    problems.append(f"{fname}: {rtype}.{rname} is not a resource of this module")
    for name, body in variables.items():
        if not str(body.get("description", "")).strip('"'):
            problems.append(f"variable {name} has no description")
        if SECRET_NAME.search(name) and body.get("sensitive") is not True:
            problems.append(f"variable {name} looks secret but is not sensitive")
    for name, body in outputs.items():
        refs = {f"{t}.{n}" for text in strings(body.get("value", "")) for t, n in RES_REF.findall(text)}
        if not refs:
            problems.append(f"output {name} refers to no resource")
        if SECRET_NAME.search(name) and body.get("sensitive") is not True:
            problems.append(f"output {name} looks secret but is not sensitive")
    providers = {}
    for block in parsed.get("versions.tf", {}).get("terraform", []):
        for req in block.get("required_providers", []):
            for pname, spec in items(req):
                providers[pname] = spec
                if not spec.get("source") or not spec.get("version"):
                    problems.append(f"provider {pname} lacks a pinned source/version")
    if not providers:
        problems.append("versions.tf declares no required_providers")
    return {
        "variables": sorted(variables),
        "resources": sorted(resources),
        "outputs": sorted(outputs),
        "providers": {k: v.get("version") for k, v in providers.items()},
        "problems": problems,
    }


def check_compose(schema_path, files):
    import yaml
    from jsonschema import Draft202012Validator

    schema = json.loads(Path(schema_path).read_text())
    validator = Draft202012Validator(schema)
    report = {}
    for f in files:
        doc = yaml.safe_load(Path(f).read_text())
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        report[f] = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors]
    return report


def main(argv):
    if argv[0] == "hcl":
        print(json.dumps({d: check_module(d) for d in argv[1:]}))
    elif argv[0] == "compose":
        print(json.dumps(check_compose(argv[1], argv[2:])))
    else:
        raise SystemExit(f"unknown check {argv[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
