"""Run inside a subprocess with AIRFLOW_HOME set (see tests/test_dags.py): load the DagBag of
dags/, report import errors and warnings, and optionally dag.test() one DAG with a run conf."""

import json
import sys
import warnings

from airflow.dag_processing.dagbag import DagBag

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    bag = DagBag(sys.argv[1])
ours = [str(w.message) for w in caught if "/dags/" in (w.filename or "") or "govreports" in str(w.message)]
out = {"dags": sorted(bag.dag_ids), "import_errors": {k: str(v)[-500:] for k, v in bag.import_errors.items()},
       "warnings": ours}
if len(sys.argv) > 2:
    dag = bag.get_dag(sys.argv[2])
    for t in dag.tasks:  # the retry policy (5 min, exponential) is not under test: fail at once
        t.retries = 0
    run = dag.test(run_conf=json.loads(sys.argv[3]), **({"logical_date": __import__("datetime").datetime.fromisoformat(sys.argv[4])} if len(sys.argv) > 4 else {}))
    out["state"] = str(run.state)
    out["tasks"] = {f"{ti.task_id}[{ti.rendered_map_index or ti.map_index}]": str(ti.state)
                    for ti in run.get_task_instances()}
print("HARNESS " + json.dumps(out, ensure_ascii=False))
