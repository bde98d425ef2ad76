"""Background jobs of the workload module (django-tasks); they take ids, not objects.

Each job lives here with the body it runs, so ``services`` queues it with a plain import and
neither module needs the other inside a function.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.db import close_old_connections
from django.utils import timezone
from django_tasks import task

from core.scopes import unscoped
from workload.balancer.instance import Instance
from workload.balancer.solve import balance
from workload.models import BalanceRun, RunStatus

logger = logging.getLogger(__name__)


@task()
@unscoped
def balance_term(run_id: int) -> str:
    return str(execute_run(run_id).status)


def execute_run(run_id: int) -> BalanceRun:
    """Run the balancer for a queued run, recording progress as it goes (the job's body)."""
    run = BalanceRun.objects.get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run
    BalanceRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    last_write = [0.0]
    lock = threading.Lock()

    def progress(event: dict[str, Any]) -> None:
        # The solver may call from its own threads: write at most once a second, each write on
        # that thread's own connection, and never let a progress write break the run.
        now = time.monotonic()
        with lock:
            if now - last_write[0] < 1.0:
                return
            last_write[0] = now
        try:
            BalanceRun.objects.filter(pk=run.pk).update(progress=_jsonable(event))
        except Exception:  # pragma: no cover - progress is best effort
            logger.warning("Could not record balancing progress", exc_info=True)
        finally:
            if threading.current_thread() is not threading.main_thread():
                close_old_connections()

    try:
        result = balance(
            Instance.from_dict(run.instance), time_limit=run.time_limit, progress=progress
        )
    except Exception as error:
        logger.exception("Balancing run %s failed", run.pk)
        BalanceRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    status = RunStatus.INFEASIBLE if result.status == "INFEASIBLE" else RunStatus.DONE
    BalanceRun.objects.filter(pk=run.pk).update(
        status=status, result=_jsonable(result.to_dict()), finished_at=timezone.now(), progress={}
    )
    run.refresh_from_db()
    return run


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value
