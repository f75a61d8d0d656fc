#!/usr/bin/env python3
"""Trims a botocore service model to the operations iamlocal serves.

Dev-time only: the trimmed JSON is committed under models/ and embedded by the
build, which never runs Python. Keeps the metadata, the named operations and
every shape they reach (transitively), and drops the "documentation" strings.

  tools/trim_model.py SOURCE(.json|.json.gz) OUTPUT.json Operation [Operation...]

EC2, as vendored:
  tools/trim_model.py \
    $(python3 -c 'import botocore,os;print(os.path.dirname(botocore.__file__))')/data/ec2/2016-11-15/service-2.json.gz \
    models/ec2-2016-11-15.json RunInstances DescribeInstances TerminateInstances StartInstances \
    StopInstances AssociateIamInstanceProfile DescribeIamInstanceProfileAssociations \
    DisassociateIamInstanceProfile ReplaceIamInstanceProfileAssociation ModifyInstanceMetadataOptions
"""

import gzip
import json
import sys

DROPPED_KEYS = ("documentation", "documentationUrl", "examples")


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in DROPPED_KEYS}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def referenced_shapes(node, out):
    """Collects the shape names a shape or operation definition refers to."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "shape" and isinstance(v, str):
                out.add(v)
            else:
                referenced_shapes(v, out)
    elif isinstance(node, list):
        for v in node:
            referenced_shapes(v, out)


def trim(model, operations):
    missing = [op for op in operations if op not in model["operations"]]
    if missing:
        raise SystemExit("not in the model: " + ", ".join(missing))
    ops = {name: model["operations"][name] for name in sorted(operations)}
    wanted, todo = set(), set()
    referenced_shapes(ops, todo)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        referenced_shapes(model["shapes"][name], todo)
    out = {k: v for k, v in model.items() if k not in ("operations", "shapes")}
    out["operations"] = ops
    out["shapes"] = {name: model["shapes"][name] for name in sorted(wanted)}
    return strip(out)


def main(argv):
    if len(argv) < 4:
        raise SystemExit(__doc__)
    model = trim(load(argv[1]), argv[3:])
    with open(argv[2], "w", encoding="utf-8") as f:
        json.dump(model, f, indent=1, sort_keys=False, ensure_ascii=False)
        f.write("\n")
    print("%s: %d operations, %d shapes" % (argv[2], len(model["operations"]), len(model["shapes"])))


if __name__ == "__main__":
    main(sys.argv)
