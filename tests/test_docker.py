"""docker/ without an engine (none runs here or in CI): the compose file validates with
docker-compose's `config`, secrets have no defaults, the entrypoint scripts pass shellcheck,
the image's Python requirements resolve against PyPI, and the DAGs import with the
environment the compose file gives the Airflow services."""

import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from packaging.requirements import Requirement

from tests.conftest import ROOT

DOCKER = ROOT / "docker"
SERVICES = {"postgres", "s3", "create-bucket", "sample-portal", "airflow-init", "airflow-api-server",
            "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer"}
CELERY_SERVICES = {"redis", "worker"}  # profile `celery`


def compose_config(env_file) -> subprocess.CompletedProcess:
    exe = shutil.which("docker-compose")
    assert exe, "needs Debian's docker-compose package (scripts/system-deps.sh installs it)"
    return subprocess.run([exe, "--env-file", str(env_file), "-f", str(DOCKER / "compose.yaml"), "config"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.fixture(scope="module")
def rendered():
    proc = compose_config(DOCKER / "env.example")
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(proc.stdout)


def test_compose_file_validates_and_wires_the_stack(rendered):
    services = rendered["services"]
    assert set(services) == SERVICES | CELERY_SERVICES
    assert all(services[name].get("profiles") == ["celery"] for name in CELERY_SERVICES)
    assert not any(services[name].get("profiles") for name in SERVICES)  # the default stack
    assert services["airflow-scheduler"]["environment"]["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    assert services["postgres"]["image"].startswith("postgres:")
    assert "minio" not in json.dumps(rendered).lower()
    assert "weed server" in " ".join(services["s3"]["command"])
    for name in ("airflow-api-server", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer"):
        svc = services[name]
        assert svc["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
        assert svc["environment"]["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
        assert svc["build"]["dockerfile"] == "docker/Dockerfile"
    assert services["airflow-init"]["depends_on"]["create-bucket"]["condition"] == "service_completed_successfully"
    assert "serve-portal" in services["sample-portal"]["entrypoint"]
    conn = json.loads(services["airflow-scheduler"]["environment"]["AIRFLOW_CONN_GOVREPORTS_S3"])
    assert conn["conn_type"] == "aws" and conn["extra"]["endpoint_url"] == "http://s3:8333"


def test_the_celery_profile_runs_scalable_workers_on_a_redis_broker(tmp_path):
    env = tmp_path / "celery.env"
    env.write_text(re.sub(r"^AIRFLOW_EXECUTOR=.*$", "AIRFLOW_EXECUTOR=CeleryExecutor",
                          (DOCKER / "env.example").read_text(), flags=re.M))
    proc = compose_config(env)
    assert proc.returncode == 0, proc.stderr
    services = yaml.safe_load(proc.stdout)["services"]
    for name in ("airflow-scheduler", "airflow-api-server", "worker"):
        environment = services[name]["environment"]
        assert environment["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert environment["AIRFLOW__CELERY__BROKER_URL"] == "redis://redis:6379/0"
        assert environment["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://airflow:")
    worker = services["worker"]
    assert worker["command"] == ["celery", "worker"] and "ports" not in worker  # `--scale worker=N` needs no ports
    assert worker["depends_on"]["redis"]["condition"] == "service_healthy"
    assert worker["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
    assert worker["image"] == services["airflow-scheduler"]["image"]  # the DAGs and the package, as the scheduler
    assert services["redis"]["image"].startswith("redis:") and "ports" not in services["redis"]


def test_secrets_come_only_from_the_env_file(tmp_path):
    example = (DOCKER / "env.example").read_text()
    for key in ("POSTGRES_PASSWORD", "AIRFLOW_JWT_SECRET", "S3_SECRET_KEY"):
        assert re.search(rf"^{key}=CHANGE-ME$", example, re.M)
        env = tmp_path / f"without-{key}.env"
        env.write_text(re.sub(rf"^{key}=.*\n", "", example, flags=re.M))
        proc = compose_config(env)
        assert proc.returncode != 0 and key in proc.stderr  # no default: the stack refuses to start
    assert "/docker/.env" in (ROOT / ".gitignore").read_text().splitlines()


def test_scripts_pass_shellcheck():
    exe = shutil.which("shellcheck")
    assert exe, "needs Debian's shellcheck package (scripts/system-deps.sh installs it)"
    scripts = sorted(DOCKER.glob("scripts/*.sh")) + sorted((ROOT / "scripts").glob("*.sh")) + [ROOT / ".ci" / "run"]
    assert len(scripts) >= 4
    proc = subprocess.run([exe, "--shell=bash", *map(str, scripts)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def dockerfile_airflow_version() -> str:
    return re.search(r"^ARG AIRFLOW_VERSION=(\S+)$", (DOCKER / "Dockerfile").read_text(), re.M).group(1)


def test_dockerfile_base_matches_the_supported_airflow_range():
    pyproject = (ROOT / "pyproject.toml").read_text()
    spec = next(Requirement(m) for m in re.findall(r'"(apache-airflow[<>=!~][^"]*)"', pyproject))
    assert spec.specifier.contains(dockerfile_airflow_version())
    text = (DOCKER / "Dockerfile").read_text()
    assert re.search(r"^FROM apache/airflow:\$\{AIRFLOW_VERSION\}-python", text, re.M)
    for src in re.findall(r"^COPY --chown=\S+ (.+) \S+$", text, re.M):
        for path in src.split():
            assert (ROOT / path).exists(), f"Dockerfile copies missing {path}"


@pytest.mark.slow
def test_image_requirements_resolve(tmp_path):
    """What the Dockerfile's pip install asks for resolves on PyPI (dry run, nothing installed)."""
    report = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                           "--report", str(report), f"apache-airflow=={dockerfile_airflow_version()}", f"{ROOT}[airflow,celery]"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    names = {i["metadata"]["name"].lower(): i["metadata"]["version"] for i in json.loads(report.read_text())["install"]}
    assert names["apache-airflow"] == dockerfile_airflow_version() and "govreports" in names
    assert {"scrapy", "pdfplumber", "apache-airflow-providers-amazon", "boto3", "pyarrow",
            "apache-airflow-providers-celery", "celery", "redis"} <= set(names)


@pytest.mark.slow
def test_dags_import_with_the_images_settings(rendered, tmp_path):
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("AIRFLOW", "AWS_", "GOVREPORTS"))}
    env.update({k: str(v) for k, v in rendered["services"]["airflow-dag-processor"]["environment"].items()})
    # the image's paths and database, mapped onto this checkout (no PostgreSQL here)
    env.update({"AIRFLOW_HOME": str(tmp_path), "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{tmp_path}/airflow.db",
                "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(tmp_path / "logs")})
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "airflow_harness.py"), str(ROOT / "dags")],
                          env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("HARNESS ")), None)
    assert line, proc.stderr[-3000:]
    out = json.loads(line[len("HARNESS "):])
    assert out["dags"] == ["govreports_annual", "govreports_discover", "govreports_nightly", "govreports_reparse"]
    assert out["import_errors"] == {} and out["warnings"] == []
