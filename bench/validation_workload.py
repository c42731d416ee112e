"""Validation workload of `steward-bench schema`, the same data for Steward and its Python anchors:
one deployment-style schema (draft 2020-12) and a deterministic mix of valid and invalid instances.
Writes schema.json and instances.jsonl to the folder given, or times the Python anchors."""
import json, random, sys, time

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "image": {"type": "string", "minLength": 1, "pattern": "^[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?$"},
        "replicas": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 1},
        "executorType": {"type": "string"},
        "env": {"type": "object", "additionalProperties": {"type": "string"}},
        "ports": {"type": "array", "maxItems": 64, "items": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                           "protocol": {"type": "string", "enum": ["TCP", "UDP"]}},
            "required": ["port"], "additionalProperties": False}},
        "volumes": {"type": "array", "items": {"type": "object",
            "properties": {"host": {"type": "string"}, "container": {"type": "string"}}, "required": ["host", "container"]}},
        "resources": {"type": "object", "properties": {
            "memoryLimit": {"type": "integer", "minimum": 1}, "memoryReservation": {"type": "integer", "minimum": 1}}},
        "restartPolicy": {"enum": ["always", "on-failure", "never"]},
        "database": {"type": "object", "properties": {
            "engine": {"type": "string", "enum": ["postgresql", "mysql"]},
            "port": {"type": "number", "default": 5432}}, "required": ["engine"]},
    },
    "required": ["image", "executorType"],
}

def instances(n, seed=7):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        inst = {"image": f"registry.local/team{i%17}/app-{i%101}:v{i%9}.{i%13}", "replicas": rnd.randint(0, 50),
                "executorType": "docker-reconciler",
                "env": {f"VAR_{k}": f"value-{rnd.randint(0, 10**6)}" for k in range(rnd.randint(0, 12))},
                "ports": [{"name": f"p{k}", "port": rnd.randint(1, 65535), "protocol": rnd.choice(["TCP", "UDP"])} for k in range(rnd.randint(0, 6))],
                "volumes": [{"host": f"/data/{k}", "container": f"/mnt/{k}"} for k in range(rnd.randint(0, 3))],
                "resources": {"memoryLimit": rnd.randint(1, 4096), "memoryReservation": rnd.randint(1, 2048)},
                "restartPolicy": rnd.choice(["always", "on-failure", "never"]),
                "database": {"engine": rnd.choice(["postgresql", "mysql"]), "port": 5432}}
        r = i % 10
        if r == 7: del inst["image"]
        elif r == 8: inst["ports"].append({"port": 70000})
        elif r == 9: inst["database"]["engine"] = "oracle"
        out.append(inst)
    return out

def main():
    if len(sys.argv) > 2 and sys.argv[1] == "write":
        d = sys.argv[2]
        json.dump(SCHEMA, open(f"{d}/schema.json", "w"))
        with open(f"{d}/instances.jsonl", "w") as f:
            for inst in instances(int(sys.argv[3]) if len(sys.argv) > 3 else 20000):
                f.write(json.dumps(inst) + "\n")
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    data = instances(n)
    import jsonschema, jsonschema_rs, fastjsonschema
    for name, check in [
        ("jsonschema-rs", jsonschema_rs.validator_for(SCHEMA).is_valid),
        ("fastjsonschema", (lambda v: (lambda x: (v(x), True)[1] if True else None))(fastjsonschema.compile(SCHEMA))),
        ("python-jsonschema", jsonschema.Draft202012Validator(SCHEMA).is_valid),
    ]:
        def run():
            ok = 0
            for x in data:
                try:
                    ok += bool(check(x))
                except Exception:
                    pass
            return ok
        run()
        t = time.perf_counter(); ok = run(); dt = time.perf_counter() - t
        print(f"{name}: {n/dt:,.0f} validations/s ({ok} valid of {n})")

main()
