"""Validates Kubernetes manifests against CustomResourceDefinitions, as a strict API server would.

usage: crd_check.py <crd dir> <manifest.yaml>...
Prints JSON: one entry per document with its kind, name, schema errors and the CEL rules
(x-kubernetes-validations) on its path that this checker does not evaluate.

Strict means: a field the schema does not declare is an error (kubectl's --validate=strict),
except below x-kubernetes-preserve-unknown-fields.
"""
import copy
import glob
import json
import re
import sys

import jsonschema
import yaml

DNS_SUBDOMAIN = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')
DNS_LABEL = re.compile(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')
LABEL_VALUE = re.compile(r'^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$')
LABEL_KEY = re.compile(r'^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$')


def strict(schema, cel, path, branch=False):
    """OpenAPI v3 (Kubernetes flavour) -> JSON Schema, collecting CEL rules by path.

    Inside oneOf/anyOf/allOf/not (value validations in a structural schema) the properties only
    constrain; which fields exist is decided by the enclosing schema, so no closing there.
    """
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == 'properties':
            out[key] = {k: strict(v, cel, path + [k]) for k, v in value.items()}
        elif key == 'items':
            out[key] = strict(value, cel, path + ['[]'])
        elif key in ('oneOf', 'anyOf', 'allOf'):
            out[key] = [strict(v, cel, path, True) for v in value]
        elif key == 'not':
            out[key] = strict(value, cel, path, True)
        elif key == 'additionalProperties' and isinstance(value, dict):
            out[key] = strict(value, cel, path + ['*'])
        elif key == 'x-kubernetes-validations':
            cel.setdefault('.'.join(path) or '(root)', []).extend(r.get('rule') for r in value)
        elif key.startswith('x-kubernetes-') or key in ('description', 'nullable'):
            continue
        else:
            out[key] = value
    if schema.get('x-kubernetes-int-or-string'):
        out.pop('type', None)
        out['anyOf'] = [{'type': 'integer'}, {'type': 'string'}]
    if schema.get('nullable') and 'type' in out:
        out['type'] = [out['type'], 'null']
    if not branch and 'properties' in out and 'additionalProperties' not in out and not schema.get('x-kubernetes-preserve-unknown-fields'):
        out['additionalProperties'] = False
    return out


def load_crds(crd_dir):
    crds = {}
    for f in sorted(glob.glob(f'{crd_dir}/*.yaml')):
        for crd in yaml.safe_load_all(open(f)):
            if not crd or crd.get('kind') != 'CustomResourceDefinition':
                continue
            group = crd['spec']['group']
            kind = crd['spec']['names']['kind']
            for version in crd['spec']['versions']:
                if not version.get('served'):
                    continue
                cel = {}
                schema = strict(copy.deepcopy(version['schema']['openAPIV3Schema']), cel, [])
                crds[(f'{group}/{version["name"]}', kind)] = (schema, cel)
    return crds


def metadata_errors(meta):
    errors = []
    if not isinstance(meta, dict):
        return ['metadata: not an object']
    name = meta.get('name', '')
    if not name or len(name) > 253 or not DNS_SUBDOMAIN.match(name):
        errors.append(f'metadata.name: {name!r} is not a DNS-1123 subdomain')
    ns = meta.get('namespace')
    if ns is not None and (len(ns) > 63 or not DNS_LABEL.match(ns)):
        errors.append(f'metadata.namespace: {ns!r} is not a DNS-1123 label')
    for k, v in (meta.get('labels') or {}).items():
        if not LABEL_KEY.match(k) or len(k.split('/')[-1]) > 63:
            errors.append(f'metadata.labels: bad key {k!r}')
        if not isinstance(v, str) or len(v) > 63 or not LABEL_VALUE.match(v):
            errors.append(f'metadata.labels.{k}: bad value {v!r}')
    return errors


def paths_in(doc, prefix=()):
    """Every path present in the document, in the CEL map's notation (lists as [])."""
    yield '.'.join(prefix) or '(root)'
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from paths_in(v, prefix + (k,))
    elif isinstance(doc, list):
        for v in doc:
            yield from paths_in(v, prefix + ('[]',))


def main():
    crds = load_crds(sys.argv[1])
    results = []
    for f in sys.argv[2:]:
        for doc in yaml.safe_load_all(open(f)):
            if doc is None:
                continue
            key = (doc.get('apiVersion'), doc.get('kind'))
            entry = {'file': f, 'kind': doc.get('kind'), 'name': (doc.get('metadata') or {}).get('name'), 'errors': [], 'celNotEvaluated': []}
            if key not in crds:
                entry['errors'].append(f'no served CRD version for {key[0]} {key[1]}')
            else:
                schema, cel = crds[key]
                validator = jsonschema.Draft7Validator(schema)
                for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
                    where = '.'.join(str(p) for p in err.absolute_path) or '(root)'
                    entry['errors'].append(f'{where}: {err.message}')
                entry['errors'].extend(metadata_errors(doc.get('metadata')))
                present = set(paths_in(doc))
                entry['celNotEvaluated'] = sorted(rule for path, rules in cel.items() if path in present for rule in rules)
            results.append(entry)
    json.dump({'crds': len(crds), 'documents': results}, sys.stdout)


if __name__ == '__main__':
    main()
